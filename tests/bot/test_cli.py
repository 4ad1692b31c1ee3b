"""The command line against a real index: build summary, bad sources, ask."""
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main

UNSEEN = Path(__file__).parents[1] / "kb" / "data" / "unseen"


def run(*args: str, data_dir: Path):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], catch_exceptions=False)


def test_build_prints_the_summary(built_index, tmp_path):
    data_dir = tmp_path / "d"
    shutil.copytree(built_index, data_dir, symlinks=True)
    result = run("build", data_dir=data_dir)
    assert result.exit_code == 0
    for line in ["records found: 84", "kept: 16", "merged duplicates: 2", "chunks: 17",
                 "code blocks that parse after reflow: 5/5", "index is up to date"]:
        assert line in result.output
    assert "65 no torch terms" in result.output


def test_build_skips_bad_source_files_with_reasons(built_index, tmp_path):
    data_dir, docs = tmp_path / "d", tmp_path / "docs"
    shutil.copytree(built_index, data_dir, symlinks=True)
    docs.mkdir()
    shutil.copy(UNSEEN / "user" / "faq.md", docs)
    (docs / "blob.txt").write_bytes(b"\x89PNG\x00\x00")
    result = run("build", "--source", str(docs), "-v", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert "blob.txt: binary file" in result.output
    assert "embedded 3," in result.output  # the three autograd questions of faq.md
    assert "dropped [passing mention of torch]" in result.output


def test_build_rejects_a_missing_folder_and_reports_an_empty_one(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "build", "--source", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_ask_shows_the_best_entry_with_sources(built_index):
    result = run("ask", "-k", "1", "grad_fn是什么意思,举例子详细说明", data_dir=built_index)
    assert result.exit_code == 0
    assert "grad_fn" in result.output and "sources: 004_f12d77b702f2cfde.txt" in result.output


def test_ask_without_an_index_says_to_build(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "ask", "x"])
    assert result.exit_code == 1 and "autograd-kb build" in result.output


def test_help_is_fast_because_imports_are_lazy():
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot.cli", "--help"],
                         capture_output=True, text=True)
    heavy = [m for m in ("torch", "sentence_transformers", "faiss", "numpy") if f" {m}\n" in out.stderr]
    assert heavy == []
