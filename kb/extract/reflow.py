"""Turn code that a scraper flattened onto one line back into a program.

`x = 1 # 定义 y = x * 2 for i in range(2): y = y + i print(y)` becomes

    x = 1
    # 定义
    y = x * 2
    for i in range(2):
        y = y + i
    print(y)

Statements are found by search (every piece must parse), comments end where the
next strong statement starts, and block bodies are restored by `kb.extract.blocks`.
"""
from __future__ import annotations

import ast
import builtins
import io
import keyword
import re
import tokenize
import warnings
from dataclasses import dataclass
from functools import lru_cache

from kb.extract.blocks import restore_blocks
from kb.syntax import parse

COMPOUND = ("for", "while", "if", "elif", "else", "with", "def", "class", "try", "except",
            "finally", "async")
MAX_PARSES = 20000


@dataclass(frozen=True)
class Piece:
    """A statement, a compound-statement header, or a comment."""

    kind: str  # "stmt" | "header" | "comment"
    text: str
    node: ast.AST | None = None


class _Budget(Exception):
    pass


def _first_word(text: str) -> str:
    word = ""
    for ch in text:
        if not (ch.isalnum() or ch == "_"):
            break
        word += ch
    return word


def _ends(text: str, start: int) -> tuple[list[int], int]:
    """Scan code from `start`; return possible statement ends and where a comment starts."""
    is_header = _first_word(text[start:]) in COMPOUND or text[start] == "@"
    ends, depth, i, n = [], 0, start, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            i = _skip_string(text, i)
            continue
        if ch == "#":
            return ends + [i], i
        if depth == 0 and i > start and text[i - 1].isspace() and _starts_statement(text, i):
            ends.append(i)
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == ":" and depth == 0 and is_header and text[start] != "@":
            return ends + [i + 1], -1
        i += 1
    return ends + [n], -1


def _starts_statement(text: str, i: int) -> bool:
    ch = text[i]
    return ch.isascii() and (ch.isalpha() or ch in "_@([")


def _skip_string(text: str, i: int) -> int:
    quote = text[i] * 3 if text[i : i + 3] == text[i] * 3 else text[i]
    j = i + len(quote)
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text.startswith(quote, j):
            return j + len(quote)
        j += 1
    return len(text)


@lru_cache(maxsize=65536)
def _parse_piece(piece: str) -> Piece | None:
    """Parse one candidate piece; None when it is not a single statement or header."""
    found = _parse_code(piece)  # before the (pure-Python, slow) name check: most candidates fail here
    if found is None or any(not ch.isascii() for tok in _names(piece) for ch in tok):
        return None
    return found


def _parse_code(piece: str) -> Piece | None:
    word = _first_word(piece)
    if piece.endswith(":") and word in COMPOUND:
        prefix = {"else": "if 1:\n pass\n", "elif": "if 1:\n pass\n", "except": "try:\n pass\n",
                  "finally": "try:\n pass\n"}.get(word, "")
        suffix = "\nexcept Exception:\n pass" if word == "try" else ""
        tree = _try_parse(prefix + piece + "\n pass" + suffix)
        return Piece("header", piece, tree.body[-1]) if tree else None
    if piece.startswith("@"):
        tree = _try_parse(piece + "\ndef _f(): pass")
        return Piece("header", piece, tree.body[0]) if tree else None
    tree = _try_parse(piece)
    if tree is None or len(tree.body) != 1 or word in COMPOUND or _looks_joined(piece):
        return None
    return Piece("stmt", piece, tree.body[0])


def _names(piece: str) -> list[str]:
    try:
        toks = tokenize.generate_tokens(io.StringIO(piece).readline)
        return [t.string for t in toks if t.type == tokenize.NAME]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []


def _try_parse(source: str) -> ast.Module | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            return parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def is_strong(piece: Piece, known: set[str]) -> bool:
    """Whether a piece looks like real code rather than words that happen to parse.

    Prose such as `# None, autograd.grad does not ...` parses piecewise, but real
    statements use names that are already defined (or builtins, or `torch`).
    """
    if piece.kind != "stmt":
        return True
    node = piece.node
    if isinstance(node, ast.Expr) and not isinstance(node.value, (ast.Call, ast.Attribute)):
        return False
    return _free_names(node) <= known | KNOWN_NAMES


KNOWN_NAMES = set(dir(builtins)) | {"torch", "nn", "F", "np", "math", "optim", "self"}
IMPORTS = re.compile(r"\bimport\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)")
BINDINGS = re.compile(
    r"\b(?:as|def|class)\s+([A-Za-z_]\w*)"
    r"|\bfor\s+([A-Za-z_][\w, ]*?)\s+in\b"
    r"|(?<![=!<>\w.])([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)")
PARAMS = re.compile(r"\bdef\s+\w+\s*\(([^)]*)\)")


def names_bound_in(text: str) -> set[str]:
    """Names that code in `text` (roughly) defines: imports, assignments, loop variables, parameters."""
    names: set[str] = set()
    for match in IMPORTS.finditer(text):
        names |= {part.split(" as ")[-1].split(".")[0].strip() for part in match.group(1).split(",")}
    for match in [*BINDINGS.finditer(text), *PARAMS.finditer(text)]:
        for group in filter(None, match.groups()):
            names |= {w.split("=")[0].split(":")[0].strip(" *") for w in group.split(",")}
    return {n for n in names if n.isidentifier()}


def _free_names(node: ast.AST) -> set[str]:
    """Names a statement reads, leaving out lambda parameters and comprehension variables."""
    local = {a.arg for n in ast.walk(node) if isinstance(n, ast.Lambda) for a in n.args.args}
    local |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - local


def _looks_joined(text: str) -> bool:
    """Real code has no space after an attribute dot, before a call's parenthesis, or in `@name`."""
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return True
    for a, b in zip(toks, toks[1:]):
        spaced = a.end != b.start
        if a.string == "." and spaced and a.type == tokenize.OP:
            return True
        if b.string in "([" and b.type == tokenize.OP and spaced and (
                a.type in (tokenize.NAME, tokenize.STRING) and not keyword.iskeyword(a.string)
                or a.string in ")]"):
            return True
        if a.string == "@" and not spaced and a.start[1] > 0 and text[a.start[1] - 1].isspace():
            return True
    return False


class _Segmenter:
    """Search for a split of flat text into pieces that all parse."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[int, list[Piece] | None] = {}
        self.known: dict[int, set[str]] = {}
        self.parses = 0

    def run(self, pos: int) -> list[Piece] | None:
        pos = self._skip_space(pos)
        if pos >= len(self.text):
            return []
        if pos not in self.memo:
            self.memo[pos] = self._comment(pos) if self.text[pos] == "#" else self._code(pos)
        return self.memo[pos]

    def _skip_space(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos

    def _code(self, pos: int) -> list[Piece] | None:
        ends, _ = _ends(self.text, pos)
        for end in reversed(ends):  # longest first: `return x` is one statement, not two
            piece = self._parse(self.text[pos:end].strip())
            if piece is not None:
                rest = self.run(end)
                if rest is not None:
                    return [piece, *rest]
        return None

    def _comment(self, pos: int) -> list[Piece] | None:
        """A comment runs until the first strong statement (or another comment) after some words."""
        text = self.text
        for q in range(pos + 1, len(text)):
            if not text[q - 1].isspace() and not _is_cjk(text[q - 1]):
                continue
            if not _starts_statement(text, q) or not text[pos + 1 : q].strip():
                continue
            rest = self.run(q)
            if rest and is_strong(rest[0], self._known(pos)):
                return [Piece("comment", text[pos:q].strip()), *rest]
            if rest is None and self._strong_start(q, pos):
                return None  # code follows the comment, but what comes after it is not code
        return [Piece("comment", text[pos:].strip())]

    def _strong_start(self, q: int, pos: int) -> bool:
        ends, _ = _ends(self.text, q)
        pieces = (self._parse(self.text[q:end].strip()) for end in ends)
        return any(p is not None and is_strong(p, self._known(pos)) for p in pieces)

    def _known(self, pos: int) -> set[str]:
        if pos not in self.known:
            self.known[pos] = names_bound_in(self.text[:pos])
        return self.known[pos]

    def _parse(self, piece: str) -> Piece | None:
        self.parses += 1
        if self.parses > MAX_PARSES:
            raise _Budget
        return _parse_piece(piece) if piece else None


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def split_pieces(flat: str) -> list[Piece] | None:
    """Split one line of flattened code into statements, headers and comments."""
    try:
        return _Segmenter(flat.strip()).run(0)
    except (_Budget, RecursionError):
        return None


def reflow_code(text: str) -> str | None:
    """Rebuild a parseable program from flattened code; None when it cannot be done safely."""
    text = text.strip()
    if not text or "\0" in text:
        return None
    if "\n" in text and _try_parse(text) is not None:
        return text + "\n"
    pieces = split_pieces(" ".join(line.strip() for line in text.splitlines()))
    if not pieces or not any(p.kind != "comment" for p in pieces):
        return None
    try:
        program = restore_blocks(pieces)
    except RecursionError:  # hundreds of nested headers; Python allows 100 indentation levels anyway
        return None
    return program if _try_parse(program) is not None else None
