"""Cleaning end to end: what is kept, dropped and merged, on the bundled corpus and unseen documents."""
import json
from pathlib import Path

from kb.ingest.classify import classify
from kb.ingest.parse import parse_file
from kb.ingest.pipeline import Report, build_chunks, load_records

UNSEEN = Path(__file__).parents[1] / "data" / "unseen"
EXPECTED = json.loads((UNSEEN / "expected.json").read_text())


def test_bundled_corpus_keeps_every_autograd_qa_and_drops_the_rest():
    chunks, report = build_chunks()
    questions = {c.question.split(" (")[0] for c in chunks}
    for q in ["通过计算例子中的梯度值为tensor([7.])", "梯度都存在tensor的grad_fn中loss.backward()",
              "torch.detach后的梯度计算例子", "backward() 方法", "torch backward",
              "如何用torch.grad来实现雅克比矩阵,给个具体例子", "如何用torch.grad雅克比矩阵",
              "grad_fn是什么意思,举例子详细说明", "pytorch的grad_fn"]:
        assert q in questions
    # a "question" that is code is titled by its answer's first sentence, and the teaser blurb is dropped
    assert any(q.startswith("这段代码使用 PyTorch 创建了三个张量") for q in questions)
    assert not any(q.lstrip().startswith("#") for q in questions) and not any("小编" in c.text for c in chunks)
    # the 002 page's question is "hhhhh": its answer's first sentence stands in as the title
    assert any(q.startswith("在这段代码中,我们利用 PyTorch 进行自动求梯度") for q in questions)
    assert not any("Euler" in c.question or "MySQL" in c.text or "电力" in c.question for c in chunks)
    assert {c.topic for c in chunks if "torch.gather" in c.question} == {"torch-other"}
    assert report.merged == 2 and report.records == 84
    assert report.code_blocks >= 5 and report.code_parsed == report.code_blocks


def test_the_duplicate_answer_cites_both_documents():
    chunks, _ = build_chunks()
    dup = [c for c in chunks if c.question == "梯度都存在tensor的grad_fn中loss.backward()"]
    assert len(dup) == 1
    assert {s.file[:3] for s in dup[0].citations} == {"000", "004"}


def test_chunk_ids_are_stable_across_rebuilds():
    assert [c.id for c in build_chunks()[0]] == [c.id for c in build_chunks()[0]]


def test_unseen_documents_are_classified_as_a_reader_would():
    for name, expect in EXPECTED.items():
        found = parse_file(UNSEEN / name)
        for item in expect["keep"]:
            match = [r for r in found if item["question_contains"] in r.question]
            assert match, (name, item)
            assert classify(match[0].question, match[0].answer).topic == item["topic"], (name, item)
        for title in expect["drop"]:
            match = [r for r in found if title in r.question]
            assert match, (name, title)
            assert all(classify(r.question, r.answer).topic == "off-topic" for r in match), (name, title)


def test_unseen_folder_builds_and_bad_files_are_skipped_with_reasons(tmp_path):
    for name in ["100_retain_graph.txt", "103_no_time_line.txt"]:
        (tmp_path / name).write_bytes((UNSEEN / name).read_bytes())
    (tmp_path / "binary.txt").write_bytes(b"\x00" * 100)
    (tmp_path / "latin1.md").write_bytes("caf\xe9 ## q".encode("latin-1"))
    (tmp_path / "huge.txt").write_bytes(b"a" * (6 * 1024 * 1024))
    (tmp_path / "empty.html").write_bytes(b"")
    chunks, report = build_chunks([tmp_path])
    reasons = dict((Path(p).name, r) for p, r in report.skipped)
    assert "binary" in reasons["binary.txt"] and "UTF-8" in reasons["latin1.md"]
    assert "larger" in reasons["huge.txt"] and "empty" in reasons["empty.html"]
    assert any("retain_graph" in c.question for c in chunks)
    assert report.documents == 7


def test_an_empty_folder_is_reported():
    report = Report()
    load_records([Path("/nonexistent-folder")], report)
    assert report.skipped == [("/nonexistent-folder", "not a folder")]


GOOD_DOC = "# How does backward() fill x.grad in torch autograd?\n\nCalling y.backward() computes the gradient of y " \
           "and accumulates it into x.grad for every leaf tensor with requires_grad=True.\n"


def test_a_link_out_of_the_folder_is_skipped_not_read(tmp_path):
    outside, folder = tmp_path / "outside", tmp_path / "docs"
    outside.mkdir(), folder.mkdir()
    (outside / "secret.md").write_text("# What is the torch backward password?\n\nThe autograd password is hunter2.\n")
    (folder / "notes.md").symlink_to(outside / "secret.md")
    (folder / "inside").symlink_to(outside, target_is_directory=True)
    (folder / "good.md").write_text(GOOD_DOC)
    report = Report()
    records = load_records([folder], report)
    assert not any("hunter2" in r.answer for r in records) and len(records) == 1
    assert (f"{folder}/notes.md", "a link to outside the folder") in report.skipped


def test_names_with_control_characters_are_skipped_and_shown_escaped(tmp_path):
    (tmp_path / "evil\x1b[31m\nname.md").write_text(GOOD_DOC)
    report = Report()
    assert load_records([tmp_path], report) == []
    (name, reason), = report.skipped
    assert reason == "name holds control characters" and name == f"{tmp_path}/evil\\x1b[31m\\x0aname.md"
    assert not any(ch in "\n".join(report.lines()) for ch in "\x1b\r")


def test_the_input_hash_reads_only_what_a_build_indexes(tmp_path):
    import tracemalloc

    from kb.index.build import input_hash

    (tmp_path / "good.md").write_text(GOOD_DOC)
    for name in ("data.bin", "huge.md"):  # 2 GB each, sparse: reading either would cost gigabytes
        with open(tmp_path / name, "wb") as fh:
            fh.truncate(2 << 30)
    tracemalloc.start()
    first = input_hash("m", [tmp_path])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64 << 20
    with open(tmp_path / "data.bin", "r+b") as fh:
        fh.write(b"changed")  # not indexed: the hash does not see it
    assert input_hash("m", [tmp_path]) == first
    (tmp_path / "good.md").write_text(GOOD_DOC + "\nMore.\n")
    assert input_hash("m", [tmp_path]) != first
