"""Formulas are lexical units: however a question spaces or writes them, they meet the page's."""
import pytest

from kb.index.tokens import tokenize


def formulas(text: str) -> set[str]:
    return {t for t in tokenize(text) if any(op in t for op in "=+-*/^")}


@pytest.mark.parametrize("question,page", [
    ("y=x²+3x+1 在 x=2 处", "y = x^2 + 3x + 1,在 x = 2 的情况下"),
    ("y = x**2 + 3*x + 1", "y = x^2 + 3x + 1"),
    ("linear model y = wx + b", "# Create tensors. y = w * x + b"),
    ("我手算 2*2+3 得 7", "导数为 2x + 3 = 2*2 + 3 = 7"),
])
def test_a_formula_written_differently_shares_a_token_with_the_page(question, page):
    assert formulas(question) & formulas(page)


def test_formulas_keep_their_sides_and_words_stay_words():
    assert formulas("2x + 3 = 2*2 + 3 = 7") == {"2x+3=2*2+3=7", "2x+3", "2*2+3"}
    assert formulas("non-scalar outputs, second-order w.r.t. x, z = x.pow(2).sum()") == set()
    assert not formulas("y = 2x + 3") & formulas("y = 3x + 2")
