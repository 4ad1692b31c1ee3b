"""The installed torch's autograd docs as a source: the API list is data, chunks cite the version."""
import pytest

from kb.ingest.doctests import DIRECTIVE
from kb.ingest.torchdocs import (
    build_doc_chunks,
    imports_for,
    load_docs,
    load_settings,
    pack,
    plain,
    torch_version,
)


@pytest.fixture(scope="module")
def docs():
    return build_doc_chunks()


def test_every_listed_api_is_found_in_this_torch(docs):
    chunks, counts = docs
    names = load_settings()["apis"]
    assert counts["apis"] == len(names) and not counts["missing"]
    assert {c.section for c in chunks} == set(names)


def test_chunks_cite_the_installed_version_and_stay_short_or_split(docs):
    chunks, _ = docs
    grad = [c for c in chunks if c.section == "torch.autograd.grad"]
    assert grad[0].citations[0].cite() == f"torch {torch_version()} docs: torch.autograd.grad"
    assert all(c.origin == "torch-docs" and c.topic == "autograd" for c in chunks)
    assert len(grad) >= 2 and grad[0].question.endswith(f"(1/{len(grad)})")
    assert len({c.id for c in chunks}) == len(chunks)


def test_text_is_plain_and_examples_become_programs_with_claims(docs):
    chunks, counts = docs
    assert not any(":func:`" in c.text or "``" in c.text or DIRECTIVE.search(c.text) for c in chunks)
    no_grad = next(c for c in chunks if c.section == "torch.no_grad")
    assert no_grad.code.parsed and "with torch.no_grad():" in no_grad.code.text
    assert [c.quoted for c in no_grad.claims] == ["False", "False", "False", "True"]
    assert counts["examples"] >= 40 and counts["claims"] >= 50


def test_a_missing_name_is_reported_not_fatal():
    docs, missing = load_docs(["torch.no_grad", "torch.autograd.not_a_thing"])
    assert [d.name for d in docs] == ["torch.no_grad"]
    assert missing == [("torch.autograd.not_a_thing", "not in this torch")]


def test_examples_get_the_imports_they_take_for_granted():
    assumed = load_settings()["imports"]
    assert imports_for("torch.autograd.functional.vjp", ">>> vjp(f, x, v)", assumed) == (
        "import torch", "from torch.autograd.functional import vjp")  # its own vjp, not torch.func's
    assert "from torch.func import vmap" in imports_for("torch.func.grad", ">>> vmap(grad(f))(x)", assumed)
    assert imports_for("torch.Tensor.backward", ">>> x.grad", assumed) == ("import torch",)


def test_sections_pack_up_to_the_limit_and_short_ones_join_the_next():
    assert pack(["a" * 10, "b" * 1500, "c" * 1500], max_chars=2000) == ["a" * 10 + "\n\n" + "b" * 1500, "c" * 1500]
    assert plain("See :func:`torch.autograd.grad` and ``x.grad``") == "See torch.autograd.grad and x.grad"
