"""The whole bundled knowledge base, checked: every chunk gets a snippet, every quoted value a verdict."""
import pytest

from bot.verify.audit import audit
from kb.index.search import Index


@pytest.fixture(scope="module")
def result(built_index, sandbox):
    return audit(Index.load(built_index).chunks, sandbox)


def test_every_page_chunk_has_a_snippet_that_runs_or_an_honest_repair(result):
    assert result.snippets("pages").get("none", 0) == 0 and result.snippets("pages").get("fails", 0) == 0
    for cid, check in result.checks.items():
        if result.origins[cid] == "pages" and not check.run.ok:
            assert check.run.error and check.repaired and check.diff.startswith("--- as printed")


def test_quoted_values_in_the_pages_get_verdicts(result):
    assert result.verdicts("pages")["confirmed"] >= 10
    by_target = {(v.claim.target, v.status) for c in result.checks.values() if c for v in c.verdicts}
    assert ("jacobian", "contradicted") in by_target  # the page's printed Jacobian is not what torch gives
    assert ("x.grad", "confirmed") in by_target and ("type(c.grad_fn)", "confirmed") in by_target
    origins = {c.snippet.origin for c in result.checks.values() if c}
    assert {"kb", "synthesized", "demo"} <= origins


def test_torch_docs_examples_are_run_and_their_printed_outputs_judged(result):
    verdicts = result.verdicts("torch-docs")
    assert verdicts["confirmed"] >= 20  # the deterministic examples: no_grad, hooks, Hessians of polynomials
    assert verdicts["contradicted"] == 0  # random inputs make a mismatch unchecked, not wrong
    random = [v for c in result.checks.values() if c for v in c.verdicts if v.why and "random" in v.why]
    assert random and all(v.status == "unchecked" for v in random)
    assert result.snippets("torch-docs")["runs"] >= 20


def test_the_audit_reports_each_source(result):
    lines = result.lines()
    assert any(line.startswith("pages quoted values: ") for line in lines)
    assert any(line.startswith("torch-docs snippets: ") for line in lines)
