"""Claims are judged only by evidence about them, through the real sandbox: the program written from the maths a
source states (independent) wins over the source's own code; a demo judges nothing."""
from bot.verify.check import check_chunk
from kb.ingest.chunk import make_chunks
from kb.ingest.dedupe import Entry
from kb.types import Citation


def chunk(answer: str, question: str = "x 的梯度是多少", tags: tuple[str, ...] = ("grad_fn", "backward")):
    (only,) = make_chunks(Entry(question, answer, (Citation("hostile.md", "main"),), "autograd", tags))
    return only


def verdicts(check) -> dict[str, tuple]:
    return {v.claim.target: (v.status, v.evidence, v.actual) for v in check.verdicts}


def test_a_demo_never_confirms_a_claim_the_page_has_no_code_for(sandbox):
    check = check_chunk(chunk("加法得到的 c 的 grad_fn 就是 AddBackward。"), sandbox)
    assert check.snippet.origin == "demo" and check.run.ok  # shown as an illustration
    assert verdicts(check) == {"type(c.grad_fn)": ("unchecked", None, None)}
    assert check.verdicts[0].why == "no code for this claim"


def test_a_grad_fn_claim_is_judged_by_the_operation_the_page_states(sandbox):
    wrong = check_chunk(chunk("若 c = a * b, 那么 c 的 grad_fn 就是 AddBackward。"), sandbox)
    assert verdicts(wrong) == {"type(c.grad_fn)": ("contradicted", "independent", "MulBackward0")}
    right = check_chunk(chunk("假设有两个张量a和b,c=a+b,那么c的grad_fn就是AddBackward。"), sandbox)
    assert verdicts(right) == {"type(c.grad_fn)": ("confirmed", "independent", "AddBackward0")}
    assert right.snippet.origin == "synthesized" and "c = a + b" in right.snippet.code


def test_a_false_value_for_stated_maths_is_contradicted_with_the_independent_value(sandbox):
    check = check_chunk(chunk("y = x**3 在 x = 2 时, x 的梯度为 7。"), sandbox)
    assert check.snippet.origin == "synthesized" and check.maths is not None
    assert verdicts(check) == {"x.grad": ("contradicted", "independent", "tensor(12.)")}
    assert check.verdicts[0].at == "x=2"


def test_the_maths_wins_over_the_pages_code_and_the_disagreement_is_named(sandbox):
    page = ("y = x^2 在 x = 3 时, x 的梯度为 6。 ```python import torch x = torch.tensor(3.0, requires_grad=True) "
            "y = x ** 2 y.backward() x.grad.mul_(2) print(x.grad) ```")
    check = check_chunk(chunk(page), sandbox)
    assert check.snippet.origin == "kb" and check.run.ok
    (verdict,) = [v for v in check.verdicts if v.claim.target == "x.grad"]
    assert (verdict.status, verdict.evidence, verdict.actual) == ("confirmed", "independent", "tensor(6.)")
    assert "the page's code gives tensor(12.)" in verdict.why


def test_a_false_claim_the_pages_code_backs_is_still_contradicted_by_the_maths(sandbox):
    page = ("y = x^2 在 x = 3 时, x 的梯度为 12。 ```python import torch x = torch.tensor(3.0, requires_grad=True) "
            "y = x ** 2 y.backward() x.grad.mul_(2) print(x.grad) ```")
    (verdict,) = [v for v in check_chunk(chunk(page), sandbox).verdicts if v.claim.target == "x.grad"]
    assert (verdict.status, verdict.evidence, verdict.actual) == ("contradicted", "independent", "tensor(6.)")


def test_without_stated_maths_the_pages_code_is_the_evidence(sandbox):
    page = "```python import torch w = torch.tensor(2.0, requires_grad=True) (w * 5).backward() print(w.grad) # 5 ```"
    check = check_chunk(chunk(page), sandbox)
    assert check.maths is None and verdicts(check) == {"w.grad": ("confirmed", "source-code", "tensor(5.)")}
