"""Merging near-duplicates keeps the copy seen first: a later copy cannot replace the text it copies."""
from kb.ingest.dedupe import Entry, merge_duplicates
from kb.types import Citation

ANSWER = ("grad_fn是PyTorch中的一个属性,它记录了一个张量的计算历史,即该张量是如何通过哪些运算得到的。在反向传播时,"
          "PyTorch会根据grad_fn来计算梯度。举个例子,假设有两个张量a和b,c=a+b,那么c的grad_fn就是AddBackward。")


def entry(answer: str, file: str, question: str = "grad_fn是什么意思") -> Entry:
    return Entry(question, answer, (Citation(file, "main"),), "autograd", ("grad_fn",))


def test_a_longer_copy_with_a_false_claim_appended_does_not_replace_the_original():
    copy = ANSWER + "另外,对于 y = x^2,在 x = 2 时,x 的梯度为 5。"
    kept, merged = merge_duplicates([entry(ANSWER, "004.txt"), entry(copy, "copied.md")])
    assert merged == 1 and len(kept) == 1
    assert kept[0].answer == ANSWER and [c.file for c in kept[0].citations] == ["004.txt", "copied.md"]


def test_a_variant_with_much_content_of_its_own_stays_a_separate_entry():
    variant = ANSWER + "另一个例子:d=c*2,那么d的grad_fn就是MulBackward,表示d是通过乘法运算得到的;" * 2 + \
        "叶子张量没有grad_fn,它们由用户直接创建,requires_grad为True时会在反向传播后得到.grad。"
    kept, merged = merge_duplicates([entry(ANSWER, "004.txt"), entry(variant, "notes.md")])
    assert merged == 0 and [e.answer for e in kept] == [ANSWER, variant]


def test_a_shorter_later_copy_folds_in_and_the_first_text_stays():
    kept, merged = merge_duplicates([entry(ANSWER, "a.txt"), entry(ANSWER[:-12], "b.txt")])
    assert merged == 1 and kept[0].answer == ANSWER and [c.file for c in kept[0].citations] == ["a.txt", "b.txt"]
