"""Chunking: one chunk per Q&A, long answers split at paragraph boundaries with code kept whole."""
from kb.ingest.chunk import make_chunks, split_text, title
from kb.ingest.dedupe import Entry
from kb.types import Citation

CODE = ("```python import torch x = torch.ones(2, requires_grad=True) (x * x).sum().backward() print(x.grad) "
        "# tensor([2., 2.]) ```")


def entry(answer: str, question: str = "x.grad 是多少") -> Entry:
    return Entry(question, answer, (Citation("a.txt", "main"),), "autograd", ("grad",))


def test_short_answers_stay_one_chunk():
    chunks = make_chunks(entry("x 的梯度值为 tensor([2., 2.])。\n" + CODE))
    assert len(chunks) == 1 and chunks[0].code.parsed and chunks[0].claims


def test_long_answers_split_at_paragraphs_and_every_part_keeps_the_code():
    paragraphs = [f"第 {i} 段:" + "梯度" * 40 for i in range(6)]
    answer = "\n".join(paragraphs[:3] + [CODE] + paragraphs[3:])
    parts = split_text(answer, max_chars=300)
    assert len(parts) > 2 and sum(CODE in p for p in parts) == 1  # the fenced block is never cut
    assert all(p.strip() in answer.replace("\n", "\n") or "\n" in p for p in parts)
    chunks = make_chunks(entry(answer), max_chars=300)
    assert len(chunks) == len(parts) and len({c.id for c in chunks}) == len(chunks)
    assert all(c.code is not None and c.code.text.startswith("import torch") for c in chunks)
    assert chunks[0].question.endswith(f"(1/{len(chunks)})")


def test_a_question_that_says_nothing_gets_a_title_from_the_answer():
    assert title("hhhhh", "x = 1\n在这段代码中,我们利用 PyTorch 进行自动求梯度。后面") == \
        "在这段代码中,我们利用 PyTorch 进行自动求梯度。"
    assert title("grad_fn是什么", "whatever") == "grad_fn是什么"


def test_a_chunk_shows_its_fenced_code_reflowed():
    chunk = make_chunks(entry("例如:\n" + CODE))[0]
    assert "```python\nimport torch\nx = torch.ones(2, requires_grad=True)\n" in chunk.text
    assert chunk.code.text.strip() in chunk.text
