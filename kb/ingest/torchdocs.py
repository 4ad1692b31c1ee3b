"""The installed torch's own autograd documentation as a second source: one chunk per API (long ones
by section), its `>>>` examples as the snippet and their printed outputs as claims."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb.extract.code import parses
from kb.ingest.chunk import MAX_CHARS
from kb.ingest.classify import classify
from kb.ingest.doctests import DIRECTIVE, doctest_program, example_sources
from kb.settings import DATA_DIR
from kb.types import Chunk, Citation, Code, content_hash

API_FILE = DATA_DIR / "torch_docs.toml"
ORIGIN = "torch-docs"  # kb.types.ORIGINS
ROLE = re.compile(r":(?:func|meth|class|attr|mod|ref|obj|data|exc):`~?([^`<]*?)(?:\s*<[^>]*>)?`")
DIRECTIVE_COMMENT = re.compile(r"\s*#\s*x?doctest\s*:.*$", re.I)
LITERAL = re.compile(r"``([^`]+)``")
MIN_CHARS = 400  # a piece shorter than this (a one-line summary) joins the next section
HEADING = re.compile(r"^(?:[A-Z][\w ]{0,40}:{1,2}|\.\. \w+::.*)$")


@dataclass(frozen=True)
class ApiDoc:
    """One API's qualified name and its docstring as installed."""

    name: str
    doc: str


def torch_version() -> str:
    """The installed torch's version, without importing it."""
    from importlib.metadata import version

    return version("torch")


def load_settings(path: Path = API_FILE) -> dict:
    """The data file: `apis` to index and the `imports` their examples assume."""
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_docs(names: list[str]) -> tuple[list[ApiDoc], list[tuple[str, str]]]:
    """The docstrings of the names that exist, and (name, reason) for the others."""
    import inspect
    import pydoc

    docs, missing = [], []
    for name in names:
        obj = pydoc.locate(name)
        doc = inspect.getdoc(obj) if obj is not None else None
        if doc:
            docs.append(ApiDoc(name, doc))
        else:
            missing.append((name, "not in this torch" if obj is None else "no docstring"))
    return docs, missing


def plain(doc: str) -> str:
    """The docstring as readers see it: Sphinx roles and ``literals`` unwrapped, doctest directives gone."""
    lines = [line for line in doc.splitlines() if not DIRECTIVE.search(line)]
    return LITERAL.sub(r"\1", ROLE.sub(r"\1", "\n".join(lines)))


def without_directives(doc: str) -> str:
    """The docstring as written, less its doctest directives (`# doctest: +SKIP`) and the prompts they empty."""
    lines = [DIRECTIVE_COMMENT.sub("", line) for line in doc.splitlines()]
    return "\n".join(line for line in lines if line.strip() not in (">>>", "..."))


def sections(doc: str) -> list[str]:
    """The docstring split at its top-level headings (`Args:`, `Example::`, `.. note::`)."""
    parts = [[]]
    for line in doc.splitlines():
        if HEADING.match(line) and parts[-1]:
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(p).strip() for p in parts if "".join(p).strip()]


def pack(parts: list[str], *, max_chars: int = MAX_CHARS) -> list[str]:
    """Consecutive sections grouped into pieces of at most `max_chars` (a long section stays whole,
    a short one never stands alone)."""
    pieces: list[str] = []
    for part in parts:
        if pieces and (len(pieces[-1]) + len(part) + 2 <= max_chars or len(pieces[-1]) < MIN_CHARS):
            pieces[-1] += "\n\n" + part
        else:
            pieces.append(part)
    return pieces


def imports_for(name: str, examples: str, assumed: list[str]) -> tuple[str, ...]:
    """The imports an API's example code takes for granted: torch, the assumed names it uses, and the
    API's own name from its module (unless it is a class's method)."""
    module, _, attr = name.rpartition(".")
    own = [] if module == "torch" or module.rpartition(".")[2][:1].isupper() else [(module, attr)]
    used = lambda n: re.search(rf"(?<![\w.]){n}\b", examples) and not re.search(rf"import .*\b{n}\b", examples)  # noqa: E731
    pairs = [(m, n.strip()) for line in assumed for m, names in [line[5:].split(" import ")]
             for n in names.split(",")]
    wanted = [(m, n) for m, n in pairs if used(n) and n not in [a for _, a in own]] + own
    return ("import torch", *(f"from {m} import {n}" for m, n in wanted))


def summary(doc: str) -> str:
    """The docstring's first sentence."""
    first = plain(doc).strip().split("\n\n")[0].replace("\n", " ")
    return re.split(r"(?<=\.)\s", first)[0][:160]


def api_chunks(api: ApiDoc, version: str, assumed: list[str]) -> list[Chunk]:
    """Chunks for one API: its whole docstring, or its sections packed up to MAX_CHARS each."""
    citation = Citation(f"torch {version} docs", api.name, ORIGIN)
    heading, text = f"{api.name}: {summary(api.doc)}", plain(api.doc)
    raw_pieces = [api.doc] if len(text) <= MAX_CHARS else pack(sections(api.doc))
    tags = classify(heading, text).tags
    chunks = []
    for i, raw in enumerate(raw_pieces):
        piece = plain(raw)
        question = heading if len(raw_pieces) == 1 else f"{heading} ({i + 1}/{len(raw_pieces)})"
        setup = "\n".join(raw_pieces[:i])  # examples of earlier parts run first, as in one docstring
        code_text = example_sources(setup + "\n" + raw)
        program, claims = doctest_program(raw, imports=imports_for(api.name, code_text, assumed), setup=setup)
        code = Code(program, raw, parses(program), piece) if ">>>" in raw else None
        chunks.append(Chunk(id=content_hash(citation.file, question, piece), question=question, text=piece,
                            citations=(citation,), topic="autograd", tags=tags, code=code, claims=claims,
                            markup=without_directives(raw)))
    return chunks


def build_doc_chunks(names: list[str] | None = None) -> tuple[list[Chunk], dict]:
    """Chunks for every listed API of the installed torch, and counts for the build report."""
    settings = load_settings()
    docs, missing = load_docs(names if names is not None else settings["apis"])
    version = torch_version()
    chunks = [c for api in docs for c in api_chunks(api, version, settings["imports"])]
    counts = {"apis": len(docs), "examples": sum(1 for c in chunks if c.code),
              "claims": sum(len(c.claims) for c in chunks), "missing": missing}
    return chunks, counts
