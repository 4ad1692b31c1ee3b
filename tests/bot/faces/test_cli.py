"""The command line against a real index: build summary, bad sources, ask."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.faces.cli import main
from kb.index.search import Index

UNSEEN = Path(__file__).parents[2] / "kb" / "data" / "unseen"


def run(*args: str, data_dir: Path):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def test_build_prints_the_summary(built_index, tmp_path):
    data_dir = tmp_path / "d"
    shutil.copytree(built_index, data_dir, symlinks=True)
    result = run("build", data_dir=data_dir)
    assert result.exit_code == 0
    for line in ["records found: 84", "kept: 15", "merged duplicates: 2", "chunks: 102",
                 "code blocks that parse after reflow: 5/5", "torch docs: 55 APIs, 87 chunks", "index is up to date"]:
        assert line in result.output
    assert "65 no torch terms" in result.output and "1 an article's teaser, no answer" in result.output


def test_build_skips_bad_source_files_with_reasons(built_index, tmp_path):
    data_dir, docs = tmp_path / "d", tmp_path / "docs"
    shutil.copytree(built_index, data_dir, symlinks=True)
    docs.mkdir()
    shutil.copy(UNSEEN / "user" / "faq.md", docs)
    (docs / "blob.txt").write_bytes(b"\x89PNG\x00\x00")
    result = run("build", "--add", str(docs), "-v", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert "blob.txt: binary file" in result.output
    before = len(Index.load(built_index).stored.keys)  # only faq.md's three autograd questions are new
    assert f"embedded, {before} reused;" in result.output and "passages: 0 embedded" not in result.output
    assert len(Index.load(data_dir).chunks) == len(Index.load(built_index).chunks) + 3
    assert "dropped [passing mention of torch]" in result.output


def test_build_rejects_a_missing_folder_and_reports_an_empty_one(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "build", "--add", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_ask_shows_the_best_entry_with_sources(built_index):
    result = run("ask", "-k", "1", "grad_fn是什么意思,举例子详细说明", data_dir=built_index)
    assert result.exit_code == 0
    assert "grad_fn" in result.output and "sources: 004_f12d77b702f2cfde.txt" in result.output


def test_ask_without_an_index_says_to_build(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "ask", "x"])
    assert result.exit_code == 1 and f"autograd-kb --data-dir {tmp_path} build" in result.output


def test_help_is_fast_because_imports_are_lazy():
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot.faces.cli", "--help"],
                         capture_output=True, text=True)
    heavy = [m for m in ("torch", "sentence_transformers", "faiss", "numpy") if f" {m}\n" in out.stderr]
    assert heavy == []


def test_ask_json_prints_the_contract(built_index):
    import json

    result = run("ask", "--json", "grad_fn是什么意思", data_dir=built_index)
    data = json.loads(result.output)
    assert result.exit_code == 0 and not data["abstained"] and data["snippet"]["ok"]


def test_ask_batch_answers_every_good_line_and_flags_bad_ones(built_index):
    import json

    lines = "grad_fn是什么意思\n\n" + "x" * 1_000_000 + "\n\xff\xfe\nmysql 索引类型\n"
    result = CliRunner().invoke(main, ["--data-dir", str(built_index), "ask", "-", "--json"],
                                input=lines.encode("utf-8", "surrogateescape")
                                .replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe"))
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 5 and result.exit_code == 1
    assert not rows[0]["abstained"] and rows[4]["abstained"]
    assert "empty" in rows[1]["error"] and "too long" in rows[2]["error"] and "UTF-8" in rows[3]["error"]


def test_ask_human_output_has_verdict_lines_and_sources(built_index):
    result = run("ask", "grad_fn是什么意思,举例子详细说明", data_dir=built_index)
    assert "✔ type(c.grad_fn) = AddBackward confirmed — the page's example (c = a + b), independent" in result.output
    assert "── snippet (synthesized) c.grad_fn at c = a + b" in result.output  # written from the page's c=a+b
    assert "sources: 004_f12d77b702f2cfde.txt · main" in result.output


def test_ask_rejects_an_empty_question(built_index):
    result = CliRunner().invoke(main, ["--data-dir", str(built_index), "ask", "  "])
    assert result.exit_code == 1 and "empty" in result.output


def test_run_reports_gradients(tmp_path):
    import json

    snippet = tmp_path / "s.py"
    snippet.write_text("import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n(x * x).sum().backward()\n")
    result = CliRunner().invoke(main, ["run", str(snippet), "--json"])
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["grads"] == {"x": [2.0, 4.0]}
    assert data["start_ms"] > data["elapsed_ms"] > 0  # where the time goes: starting the sandbox, then the run
    text = CliRunner().invoke(main, ["run", "-"], input="import torch\nraise RuntimeError('no')\n")
    assert text.exit_code == 1 and "RuntimeError: no" in text.output
    assert re.search(r"[\d.]+ ms running the snippet · [\d.]+ s to start the sandbox", text.output)


def test_eval_writes_metrics_report_and_plots(built_index, tmp_path):
    import json

    result = run("eval", "--report", str(tmp_path / "rep"), data_dir=built_index)
    assert result.exit_code == 0 and "hybrid + bridge" in result.output
    assert result.output.index("## held-out") < result.output.index("## tuning")  # held-out first
    metrics = json.loads((tmp_path / "rep" / "tune" / "metrics.json").read_text())
    channels = {"dense only (glossed query, cosine ranking)", "lexical only (BM25 ranking)"}
    assert channels | {"hybrid", "hybrid + bridge"} <= set(metrics["variants"])
    assert set(metrics["by_origin"]) == {"pages", "torch-docs", "both"} and metrics["questions"] > 150
    heldout = json.loads((tmp_path / "rep" / "heldout" / "metrics.json").read_text())
    assert heldout["abstention"]["declined_uncovered"] is not None  # on-topic questions no chunk covers
    assert heldout["abstention"]["declined_off_topic"] is not None
    assert (tmp_path / "rep" / "tune" / "recall.png").stat().st_size > 1000
    assert "Abstention" in (tmp_path / "rep" / "heldout" / "report.md").read_text()


def test_eval_rejects_a_broken_set(built_index, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n')
    result = run("eval", "--set", str(bad), data_dir=built_index)
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output


@pytest.mark.parametrize("args, error", [
    (["ask", ""], "the question is empty"),
    (["ask", "x" * 100_000], "the question is too long"),
    (["--data-dir", "/nonexistent/agkb", "ask", "x"], "run `autograd-kb --data-dir /nonexistent/agkb build` first"),
])
def test_input_errors_come_before_anything_heavy_loads(args, error):
    """An input error is told before torch, the model or the sandbox load (it took 5-10 s), in JSON with --json."""
    probe = ("import sys; from bot.faces.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
             "print('HEAVY' if {'torch', 'sentence_transformers', 'faiss'} & set(sys.modules) else 'LIGHT', code)")
    for extra in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-c", probe, *args, *extra], capture_output=True, text=True)
        assert done.stdout.strip().endswith("LIGHT 1"), (done.stdout[-300:], done.stderr[-300:])
        if extra:
            assert error in json.loads(done.stdout.splitlines()[0])["error"]
        else:
            assert error in done.stderr
