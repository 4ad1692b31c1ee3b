"""reflow_code under fuzz: code from a grammar of simple statements survives flattening; any text reflows
to code that parses, keeping every word, or to None, in bounded time."""
import ast

from fuzzkit import TEXT, bounded, fuzz, repeated
from hypothesis import event, example, given
from hypothesis import strategies as st

from kb.extract.reflow import reflow_code

NAMES = st.sampled_from(["x", "y", "z", "w", "loss", "out", "a1", "grad_x"])
ATOMS = NAMES | st.integers(0, 99).map(str) | st.sampled_from(["1.5", "2.", "x.grad", "w.data", "True"])


def expressions() -> st.SearchStrategy[str]:
    """Small torch-flavoured expressions: names, numbers, attributes, calls, operators, lists, subscripts."""
    return st.recursive(ATOMS, lambda e: st.one_of(
        st.tuples(e, st.sampled_from(["+", "-", "*", "/", "**", "@"]), e).map(" ".join),
        st.tuples(st.sampled_from(["torch.tensor", "torch.ones", "torch.sin", "print", "len"]), e)
        .map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(e, st.sampled_from(["sum", "mean", "detach", "item"])).map(lambda t: f"({t[0]}).{t[1]}()"),
        st.lists(e, min_size=1, max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
        st.tuples(NAMES, st.integers(0, 3)).map(lambda t: f"{t[0]}[{t[1]}]"),
    ), max_leaves=6)


STATEMENT = st.one_of(
    st.tuples(NAMES, expressions()).map(lambda t: f"{t[0]} = {t[1]}"),
    st.tuples(NAMES, expressions()).map(lambda t: f"{t[0]} += {t[1]}"),
    expressions().map(lambda e: f"print({e})"),
    NAMES.map(lambda n: f"{n}.backward()"),
    NAMES.map(lambda n: f"{n}.grad.zero_()"),
    st.just("import torch"),
)
COMMENT = st.sampled_from(["# 计算梯度", "# compute the loss", "# x.grad = tensor([2.])"])


def simple_lines(max_size: int) -> st.SearchStrategy[list[str]]:
    """Simple statements and comments, at least one statement (a body of comments is not Python)."""
    return st.tuples(st.lists(STATEMENT | COMMENT, max_size=max_size - 1), STATEMENT, st.randoms()).map(
        lambda t: t[2].sample([*t[0], t[1]], len(t[0]) + 1))


def blocks(depth: int) -> st.SearchStrategy[list[str]]:
    """Lines of a program: simple statements and (nested up to `depth`) for/if/with/def/while blocks."""
    body = simple_lines(3) if depth == 0 else blocks(depth - 1)
    header = st.sampled_from(["for i in range(3):", "if x > 0:", "with torch.no_grad():", "def f(x):",
                              "while y < 2:"])
    compound = st.tuples(header, body).map(lambda t: [t[0], *("    " + line for line in t[1])])
    return st.tuples(simple_lines(3), st.lists(compound | simple_lines(2), max_size=4)).map(
        lambda t: t[0] + [line for part in t[1] for line in part])


def flatten(code: str) -> str:
    """What the scraper did: every line stripped of its indentation, joined by one space."""
    return " ".join(line.strip() for line in code.splitlines() if line.strip())


def program(lines: list[str]) -> str:
    code = "\n".join(lines) + "\n"
    ast.parse(code)  # the grammar only writes valid Python
    return code


def same_ast(a: str, b: str) -> bool:
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


@fuzz(150)
@given(blocks(2).map(program))
def test_wellformed_code_comes_back_unchanged(code):
    assert same_ast(reflow_code(code), code)


@fuzz(150, deadline_ms=2000)
@given(st.lists(STATEMENT, min_size=1, max_size=8).map(program))
def test_flattened_straight_line_code_reflows_to_the_same_program(code):
    with bounded(3):
        out = reflow_code(flatten(code))
    assert out is not None and same_ast(out, code), (flatten(code), out)


@fuzz(150, deadline_ms=2000)
@given(blocks(2).map(program))
def test_flattened_blocks_reflow_to_code_that_parses_with_the_same_words(code):
    with bounded(3):
        out = reflow_code(flatten(code))
    event("refused" if out is None else "same program" if same_ast(out, code) else "another program")
    assert out is None or ast.parse(out) and out.split() == code.split()


@fuzz(200, deadline_ms=2000)
@given(st.one_of(TEXT, repeated(2000)))
@example("if x: y = 1 " * 12)  # exponential block layout: 20 s
@example("if x: " * 333)  # RecursionError
@example("for i in x: print(i) " * 100)  # slow search: 5 s
@example("0#")  # a comment glued to code moves to its own line: only whitespace changes
def test_any_text_reflows_to_parseable_code_with_the_same_characters_or_none(text):
    with bounded(3):
        out = reflow_code(text)
    assert out is None or ast.parse(out) and "".join(out.split()) == "".join(text.split())
