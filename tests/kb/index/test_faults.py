"""Faults (issue 7), with real `autograd-kb` processes on a private data directory: damaged index
files, a manifest from another model, a missing data directory, two builds at once, kill -9 during a
build and during feedback writes. The bot says what is wrong, recovers, and loses no feedback."""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.index.search import Index
from kb.index.store import IndexUnavailable, is_intact

CLI = Path(sys.executable).with_name("autograd-kb")
UNSEEN = Path(__file__).parents[1] / "data" / "unseen"


def cli(*args, data_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `autograd-kb --data-dir DATA_DIR ARGS...` to completion."""
    return subprocess.run([CLI, "--data-dir", data_dir, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def refusal(done: subprocess.CompletedProcess) -> str:
    """The one-line error of a command that failed cleanly."""
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: "), done.stderr
    return done.stderr.strip()


@pytest.fixture
def data_dir(built_index, tmp_path) -> Path:
    """A private copy of the session's index."""
    target = tmp_path / "data"
    shutil.copytree(built_index, target, symlinks=True)
    return target


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def scribble(path: Path) -> None:
    """Random bytes over the middle of the file; its size (and a .npy header) stay as they were."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = os.urandom(64)
    path.write_bytes(bytes(data))


def test_a_truncated_index_file_is_reported_and_the_next_build_repairs_it(data_dir):
    before = (data_dir / "current").resolve()
    passages = json.loads((before / "manifest.json").read_text())["passages"]
    size = (before / "dense.faiss").stat().st_size
    truncate(before / "dense.faiss")
    message = refusal(cli("ask", "--no-run", "grad_fn 是什么", data_dir=data_dir))
    assert message == (f"Error: index at {before} is damaged (dense.faiss is {size // 2} bytes, the manifest "
                       f"says {size} (truncated?)); run `autograd-kb build`")
    rebuilt = cli("build", "--no-verify", data_dir=data_dir)
    assert rebuilt.returncode == 0
    assert f"passages: 0 embedded, {passages} reused" in rebuilt.stdout  # the vectors were intact
    assert is_intact(data_dir) and not before.exists()
    assert Index.load(data_dir).dense.ntotal == passages


@pytest.mark.parametrize("name,damage,says", [
    ("vectors.npy", scribble, "vectors.npy does not match its SHA-256 digest (corrupted)"),
    ("lexical/pages/data.csc.index.npy", scribble, "data.csc.index.npy does not match its SHA-256 digest"),
    ("lexical/pages/vocab.index.json", lambda path: path.write_bytes(b""), "vocab.index.json is 0 bytes"),
    ("manifest.json", truncate, "manifest.json is unreadable"),
])
def test_corrupted_files_are_caught_not_served(data_dir, name, damage, says):
    damage(data_dir / "current" / name)
    with pytest.raises(IndexUnavailable, match=re.escape(says)):
        Index.load(data_dir)
    assert not is_intact(data_dir)  # so `build` rebuilds rather than reporting "up to date"


def _edit_manifest(data_dir: Path, **changes) -> None:
    path = data_dir / "current" / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def test_a_manifest_from_another_model_is_refused_clearly(data_dir):
    other = "sentence-transformers/paraphrase-multilingual-mpnet-base-v2"
    _edit_manifest(data_dir, model=other)
    message = refusal(cli("ask", "--no-run", "grad_fn 是什么", data_dir=data_dir))
    assert f"cannot load embedding model {other!r}" in message and "run `autograd-kb build`" in message
    _edit_manifest(data_dir, dim=768)
    message = refusal(cli("ask", "--no-run", "grad_fn 是什么", data_dir=data_dir))
    assert "holds 384-dimensional vectors, but its manifest is for model" in message
    assert f"{other!r} (768 dimensions)" in message and "belongs to another index" in message


def test_another_configured_model_is_pointed_out_and_the_index_model_answers(data_dir, monkeypatch):
    from click.testing import CliRunner

    from bot.faces.cli import main
    from kb.index.embed import resolve_model

    configured = resolve_model(Index.load(data_dir).manifest["model"])  # same weights, another model setting
    monkeypatch.setenv("AUTOGRAD_KB_MODEL", configured)
    done = CliRunner().invoke(main, ["--data-dir", str(data_dir), "ask", "--no-run", "--json", "grad_fn是什么意思"])
    assert done.exit_code == 0 and not json.loads(done.stdout)["abstained"]
    assert f"not the configured {configured!r}" in done.stderr and "`autograd-kb build` re-embeds" in done.stderr


def test_a_missing_data_directory_is_reported_and_not_created(tmp_path):
    missing = tmp_path / "gone" / "kb"
    assert refusal(cli("ask", "--no-run", "grad_fn", data_dir=missing)) == \
        f"Error: no index in {missing}; run `autograd-kb --data-dir {missing} build` first"  # the folder given
    assert "no feedback yet" in refusal(cli("feedback", "--export", data_dir=missing))
    assert not (tmp_path / "gone").exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert refusal(cli("build", data_dir=blocked / "kb")) == \
        f"Error: cannot use data directory {blocked / 'kb'}: Not a directory"


def _holds_flock(pid: int, path: Path) -> bool:
    """Whether the process holds a flock on the file (read from /proc/locks, without touching the lock)."""
    inode = path.stat().st_ino if path.exists() else -1
    return any(f[1] == "FLOCK" and f[4] == str(pid) and f[5].endswith(f":{inode}")
               for f in (line.split() for line in Path("/proc/locks").read_text().splitlines()))


def _wait(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.002)


def test_a_second_build_reports_the_lock_and_kill_9_mid_write_keeps_the_old_index(data_dir, tmp_path):
    before = (data_dir / "current").resolve()
    manifest = json.loads((before / "manifest.json").read_text())
    chunks, passages = manifest["chunks"], manifest["passages"]
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(UNSEEN / "100_retain_graph.txt", extra)
    build = [CLI, "--data-dir", data_dir, "build", "--no-verify", "--add", extra]
    first = subprocess.Popen(build, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait(lambda: _holds_flock(first.pid, data_dir / "build.lock"), "the first build to take the lock")
        first.send_signal(signal.SIGSTOP)  # paused while holding the lock, so the second build surely meets it
        assert refusal(cli(*build[3:], data_dir=data_dir)) == f"Error: another build is running in {data_dir}"
        first.send_signal(signal.SIGCONT)
        _wait(lambda: list(data_dir.glob("index-*.tmp")) or first.poll() is not None, "the index write")
    finally:
        first.kill()  # kill -9, mid-write (or at once when a step above failed)
        first.wait()
    assert first.returncode == -signal.SIGKILL and list(data_dir.glob("index-*.tmp")), "killed mid-write"
    assert (data_dir / "current").resolve() == before and is_intact(data_dir)
    assert len(Index.load(data_dir).chunks) == chunks
    after = cli(*build[3:], data_dir=data_dir)  # the dead build's lock went with it
    assert after.returncode == 0 and f"{passages} reused; index written to" in after.stdout, after.stderr[-3000:]
    assert not list(data_dir.glob("*.tmp")) and not before.exists()
    assert any(s.file == "100_retain_graph.txt" for c in Index.load(data_dir).chunks for s in c.citations)


WRITER = """
import sys
from pathlib import Path
from bot.faces.feedback import FeedbackStore
store = FeedbackStore(Path(sys.argv[1]))
for i in range(100_000):
    store.record(f"question {i}", f"chunk-{i}", i % 2 == 0)
    print(i, flush=True)  # printed only once the row is committed
"""


def test_kill_9_while_writing_feedback_loses_no_committed_row(tmp_path):
    from bot.faces.feedback import FeedbackStore, feedback_path

    path = feedback_path(tmp_path)
    earlier = FeedbackStore(path)
    earlier.record("an earlier question", "chunk-x", True)
    earlier.close()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, path], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parents[3])
    committed = [int(writer.stdout.readline()) for _ in range(60)]
    writer.send_signal(signal.SIGKILL)
    committed += [int(line) for line in writer.stdout.read().split()]
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    exported = cli("feedback", "--export", data_dir=tmp_path)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert exported.returncode == 0 and rows[0]["question"] == "an earlier question"
    stored = {row["question"] for row in rows}
    assert all(f"question {i}" in stored for i in committed) and committed == list(range(len(committed)))
    FeedbackStore(path).record("after the crash", None, False)  # the file takes new rows


def test_a_damaged_feedback_file_is_reported_and_left_untouched(tmp_path):
    from bot.faces.feedback import feedback_path

    garbage = os.urandom(4096)
    feedback_path(tmp_path).write_bytes(garbage)
    message = refusal(cli("feedback", "--export", data_dir=tmp_path))
    assert "cannot open the feedback file" in message and "move it aside" in message
    assert feedback_path(tmp_path).read_bytes() == garbage
