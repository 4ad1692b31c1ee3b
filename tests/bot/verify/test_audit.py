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


def test_quoted_values_in_the_pages_get_verdicts_by_their_evidence(result):
    counts = result.by_evidence("pages")
    assert counts["independent", "confirmed"] >= 6 and counts["source-code", "confirmed"] >= 1
    by_target = {(v.claim.target, v.status, v.evidence) for c in result.checks.values() if c for v in c.verdicts}
    assert ("jacobian", "contradicted", "independent") in by_target  # the printed Jacobian is not z = x³'s
    assert ("x.grad", "confirmed", "independent") in by_target  # page 000: y = x^2 + 3x + 1 at x = 2 gives 7
    origins = {c.snippet.origin for c in result.checks.values() if c}
    assert {"kb", "synthesized", "demo"} <= origins


def test_a_demo_judges_nothing(result):
    shown = [c for c in result.checks.values() if c and c.snippet.origin == "demo"]
    assert shown and all(v.status == "unchecked" and v.evidence is None for c in shown for v in c.verdicts)
    assert ("type(c.grad_fn)", "no code for this claim") in {(v.claim.target, v.why) for c in shown for v in c.verdicts}


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
    assert any(line.startswith("pages by evidence: independent ") for line in lines)
    assert any(line.startswith("torch-docs snippets: ") for line in lines)
