"""Alternative questions: data filed under an entry that the index matches beside the entry's own text."""
import pytest

from kb.index.alternatives import alternatives, entry_key, load_alternatives
from kb.index.search import lexical_text, passages
from kb.settings import alternatives_file


@pytest.fixture(scope="module")
def chunks(built_index):
    from kb.index.search import Index

    return Index.load(built_index).chunks


def test_every_key_names_an_entry_of_the_bundled_index(chunks):
    keys = {entry_key(c) for c in chunks}
    filed = load_alternatives(alternatives_file())
    assert filed and set(filed) <= keys, sorted(set(filed) - keys)
    assert all(questions for questions in filed.values())


def test_every_part_of_an_entry_carries_them_as_words_not_as_passages(chunks):
    first = next(c for c in chunks if c.question.endswith("(1/2)") and alternatives(c))
    later = next(c for c in chunks if c.question == first.question.replace("(1/2)", "(2/2)"))
    english = next(q for q in alternatives(first) if q.isascii())
    assert alternatives(later) == alternatives(first)
    assert english in lexical_text(later) and not any(english in p for p in passages(first))


def test_a_file_of_ones_own_or_none(tmp_path, monkeypatch):
    from kb.index.build import input_hash

    own = tmp_path / "mine.toml"
    own.write_text('["x"]\nquestions = ["  ", "why", 3]\n["y"]\nquestions = "not a list"\n', encoding="utf-8")
    assert load_alternatives(own) == {"x": ("why",)}
    assert load_alternatives(tmp_path / "missing.toml") == {}
    (tmp_path / "bad.toml").write_text("[[[", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml: not a TOML file"):
        load_alternatives(tmp_path / "bad.toml")
    hashes = set()
    for value in (None, "", str(own)):
        if value is None:
            monkeypatch.delenv("AUTOGRAD_KB_ALTERNATIVES", raising=False)
        else:
            monkeypatch.setenv("AUTOGRAD_KB_ALTERNATIVES", value)
        hashes.add(input_hash("m", []))
    assert alternatives_file() == own and len(hashes) == 3  # each choice rebuilds the index
    monkeypatch.setenv("AUTOGRAD_KB_ALTERNATIVES", "")
    assert alternatives_file() is None


def test_each_alternative_reaches_its_own_entry(bot):
    """Asked as written, every alternative question finds its entry in the top 3: the data is distinctive."""
    missed = []
    for key, questions in load_alternatives(alternatives_file()).items():
        for question in questions:
            hits = bot.retriever.search(question, k=3)
            if key not in {entry_key(h.chunk) for h in hits}:
                missed.append((key, question, [entry_key(h.chunk) for h in hits]))
    assert not missed, missed[:10]


def test_an_entrys_own_names_leave_out_its_alternatives(chunks):
    """A name that only an alternative question says (the page never names BCEWithLogitsLoss) is not one the entry
    mentions: the unknown-name check reads own_names, retrieval reads lexical_text."""
    from kb.index.search import own_names
    from kb.index.tokens import tokenize

    page = next(c for c in chunks if c.question == "Pytorch中torch.nn的损失函数")
    assert any("BCEWithLogitsLoss" in q for q in alternatives(page))
    assert "bcewithlogitsloss" in tokenize(lexical_text(page)) and "bcewithlogitsloss" not in own_names(page)
    assert "bceloss" in own_names(page)
