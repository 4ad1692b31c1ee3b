"""Bad input everywhere (issue 7): one table of bad bytes pushed through every way in — `ask`
(argument and `ask -`), `run`, `build --add`, `eval --set` and the web chat's handlers. Each gets
a clear one-line error, and whatever else is in flight still works."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.faces.cli import main
from bot.faces.web import answer_turns, run_markdown
from bot.faces.wording import PHRASES
from kb.index.search import Index

CLI = Path(sys.executable).with_name("autograd-kb")
BAD = {  # as the bytes arrive from a terminal, a pipe or a file
    "empty": b"",
    "whitespace": b" \t  ",
    "1 MB": b"why is x.grad None " * 55_000,
    "binary": b"\x89PNG\x1a\x00\x00\x00\rIHDR\xff\xd8\xff",
    "invalid UTF-8": "x 的梯度是多少".encode("gbk"),
    "NUL": b"grad_fn\x00what",
    "control": b"what is grad_fn\x1b[2J\x07",
}
QUESTION_ERRORS = {"empty": "the question is empty", "whitespace": "the question is empty",
                   "1 MB": "the question is too long", "binary": "not valid UTF-8",
                   "invalid UTF-8": "not valid UTF-8", "NUL": "(a NUL byte)",
                   "control": "(control character U+001B)"}
GOOD = ["grad_fn是什么意思", "how do I compute a Jacobian with torch.autograd.grad"]


def error_line(output: str) -> str:
    """The one error line of a failed command (there must be exactly one, and no traceback)."""
    lines = [line for line in output.splitlines() if "error" in line.lower()]
    assert "Traceback" not in output and len(lines) == 1, output[:2000]
    return lines[0]


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("name", BAD)
def test_ask_argument(built_index, name):
    argv = BAD[name].decode("utf-8", "surrogateescape")  # how Python hands over undecodable argv bytes
    result = invoke("--data-dir", str(built_index), "ask", "--no-run", argv)
    assert result.exit_code == 1
    assert error_line(result.output) == result.output.strip()
    assert result.output.startswith("Error: ") and QUESTION_ERRORS[name] in result.output


def test_ask_batch_flags_each_bad_line_and_answers_the_good_ones_in_a_real_process(built_index):
    lines = [GOOD[0].encode(), *BAD.values(), GOOD[1].encode()]
    done = subprocess.run([CLI, "--data-dir", built_index, "ask", "-", "--json", "--no-run"],
                          input=b"\n".join(lines) + b"\n", capture_output=True, timeout=120)
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 1 and b"Traceback" not in done.stderr and len(rows) == len(lines)
    for row in (rows[0], rows[-1]):
        assert not row["abstained"] and row["hits"]
    for name, row in zip(BAD, rows[1:-1]):
        assert QUESTION_ERRORS[name].strip("()") in row["error"], (name, row)


def test_ask_batch_without_questions_says_so(built_index):
    result = invoke("--data-dir", str(built_index), "ask", "-", input=b"")
    assert result.exit_code == 1 and result.output == "Error: no questions on stdin (give one per line)\n"


SNIPPET_ERRORS = {"empty": "Error: the snippet is empty", "whitespace": "Error: the snippet is empty",
                  "1 MB": "Error: the snippet is larger than 256 KiB",
                  "binary": "Error: the snippet is not valid UTF-8 text",
                  "invalid UTF-8": "Error: the snippet is not valid UTF-8 text",
                  "NUL": "error: code contains NUL bytes",
                  "control": "SyntaxError: invalid non-printable character U+001B"}


@pytest.mark.parametrize("name,via", [(name, via) for name in BAD for via in ("file", "stdin")
                                      if (name, via) != ("control", "stdin")])  # it alone starts a sandbox
def test_run_snippet(tmp_path, name, via):
    path = tmp_path / "snippet.py"
    path.write_bytes(BAD[name])
    result = invoke("run", str(path)) if via == "file" else invoke("run", "-", input=BAD[name])
    assert result.exit_code == 1 and SNIPPET_ERRORS[name] in error_line(result.output)


def test_run_reads_no_more_than_a_snippet_may_hold():
    result = invoke("run", "/dev/zero")  # endless: it used to read gigabytes before the size check
    assert result.exit_code == 1 and "Error: the snippet is larger than 256 KiB" in result.output


HEADING = b"# How does backward() fill x.grad in torch autograd?\n\n"
GOOD_DOC = (b"# How do I call backward() twice on one graph in torch autograd?\n\n"
            b"Pass retain_graph=True to the first loss.backward(); autograd then keeps the computational "
            b"graph and the second backward() accumulates into x.grad.\n")
DOCUMENT_REASONS = {"empty": "empty file", "whitespace": "no questions found",
                    "binary": "binary file (contains NUL bytes)",
                    "invalid UTF-8": f"not UTF-8 text (byte {len(HEADING) + 2})",
                    "NUL": "binary file (contains NUL bytes)", "control": "control character U+001B"}


def test_build_skips_each_bad_document_with_its_reason_and_indexes_the_rest(built_index, tmp_path):
    data_dir, docs = tmp_path / "data", tmp_path / "docs"
    shutil.copytree(built_index, data_dir, symlinks=True)
    docs.mkdir()
    for i, (name, raw) in enumerate(BAD.items()):
        (docs / f"{i}.md").write_bytes(HEADING + raw if raw.strip() else raw)
    (docs / "good.md").write_bytes(GOOD_DOC)
    (docs / b"\xfe-notes.md".decode("utf-8", "surrogateescape")).write_bytes(GOOD_DOC)
    before = len(Index.load(data_dir).stored.keys)  # passages
    result = invoke("--data-dir", str(data_dir), "build", "--add", str(docs), "--no-verify", "-v")
    assert result.exit_code == 0 and "Traceback" not in result.output
    for i, name in enumerate(BAD):
        if name in DOCUMENT_REASONS:
            assert f"skipped {docs}/{i}.md: {DOCUMENT_REASONS[name]}" in result.output, name
    assert "dropped [longer than 20,000 characters] 2.md" in result.output
    assert f"skipped {docs}/\ufffd-notes.md: name is not valid UTF-8" in result.output
    assert f"passages: 1 embedded, {before} reused" in result.output
    index = Index.load(data_dir)
    assert [c.question for c in index.chunks if c.citations[0].file == "good.md"] == \
        ["How do I call backward() twice on one graph in torch autograd?"]


EVAL_ERRORS = {"empty": "set.jsonl holds no questions", "whitespace": "set.jsonl holds no questions",
               "1 MB": "set.jsonl:2: the question is too long", "binary": "set.jsonl is not UTF-8 text",
               "invalid UTF-8": "set.jsonl is not UTF-8 text", "NUL": "set.jsonl:2: not JSON",
               "control": "set.jsonl:2: not JSON"}


@pytest.mark.parametrize("name", BAD)
def test_eval_set_lines(built_index, tmp_path, name):
    """Bad bytes written raw into the set's second line, after a good question."""
    good = json.dumps({"id": "g", "query": GOOD[0], "relevant": ["grad_fn"]}).encode()
    raw = BAD[name]
    path = tmp_path / "set.jsonl"
    path.write_bytes(raw if not raw.strip() else good + b'\n{"id": "b", "query": "' + raw + b'"}\n')
    result = invoke("--data-dir", str(built_index), "eval", "--set", str(path))
    assert result.exit_code == 1 and EVAL_ERRORS[name] in error_line(result.output)


@pytest.mark.parametrize("name", ["empty", "whitespace", "1 MB", "NUL", "control"])
def test_eval_set_questions_are_checked_like_asked_ones(built_index, tmp_path, name):
    """The same bad text, properly JSON-escaped, is refused as a question."""
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "b", "query": BAD[name].decode()}) + "\n")
    result = invoke("--data-dir", str(built_index), "eval", "--set", str(path))
    line = error_line(result.output)
    assert result.exit_code == 1 and "set.jsonl:1: the question" in line and QUESTION_ERRORS[name] in line


WEB_SNIPPET = {"empty": "Paste or write a snippet first", "whitespace": "Paste or write a snippet first",
               "1 MB": "too large", "binary": "code contains NUL bytes",
               "invalid UTF-8": "not valid Unicode text", "NUL": "code contains NUL bytes",
               "control": "invalid non-printable character U+001B"}


def test_web_chat_handlers_reject_each_and_keep_answering(bot):
    for name, raw in BAD.items():
        text = raw.decode("utf-8", "surrogateescape")  # lone surrogates are what a browser's JSON can carry
        answer, markdown = list(answer_turns(bot, text))[-1]
        assert answer is None and markdown.startswith("⚠️ the question") and QUESTION_ERRORS[name] in markdown
        assert WEB_SNIPPET[name] in run_markdown(bot, text), name
    answer, markdown = list(answer_turns(bot, GOOD[0]))[-1]
    assert answer.best is not None and PHRASES["zh"]["claims_header"] in markdown  # GOOD[0] is asked in Chinese
    assert "✅ ran" in run_markdown(bot, "import torch\nx = torch.ones(2, requires_grad=True)\nx.sum().backward()\n")
