"""The whole bundled knowledge base, checked: every chunk gets a snippet, every quoted value a verdict."""
from bot.audit import audit
from kb.index import Index


def test_every_chunk_has_a_snippet_that_runs_or_an_honest_repair(built_index, sandbox):
    chunks = Index.load(built_index).chunks
    result = audit(chunks, sandbox)
    assert result.snippets.get("none", 0) == 0 and result.snippets.get("fails", 0) == 0
    for check in result.checks.values():
        if not check.run.ok:
            assert check.run.error and check.repaired and check.diff.startswith("--- as printed")


def test_quoted_values_in_the_corpus_get_verdicts(built_index, sandbox):
    chunks = Index.load(built_index).chunks
    result = audit(chunks, sandbox)
    assert result.verdicts["confirmed"] >= 10
    by_target = {(v.claim.target, v.status) for c in result.checks.values() for v in c.verdicts}
    assert ("jacobian", "contradicted") in by_target  # the page's printed Jacobian is not what torch gives
    assert ("x.grad", "confirmed") in by_target and ("type(c.grad_fn)", "confirmed") in by_target
    origins = {c.snippet.origin for c in result.checks.values()}
    assert {"kb", "synthesized", "demo"} <= origins
