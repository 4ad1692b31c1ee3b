"""The spinner: drawn on a real terminal (a pty), silent on pipes, cleared when the work ends."""
import io
import os
import pty
import re
import subprocess
import sys

from bot.faces.progress import CLEAR, Spinner


def read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # the terminal's other end closed
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def shown_until(fd: int, text: str) -> str:
    """What the terminal has shown once it shows `text` (blocking reads, no clock)."""
    shown = ""
    while text not in shown:
        shown += os.read(fd, 4096).decode("utf-8", "replace")
    return shown


def test_a_terminal_sees_what_is_happening_then_a_clean_line():
    leader, follower = pty.openpty()
    with open(follower, "w", encoding="utf-8", closefd=True) as stream:
        with Spinner("loading", stream=stream, delay=0, interval=0.01) as spinner:
            shown = shown_until(leader, "loading… ")
            spinner.step("embedding 3/9")
            shown += shown_until(leader, "embedding 3/9… ")
    shown += read_all(leader)
    os.close(leader)
    assert re.search(r"⠋ loading… \d+\.\d s", shown)  # a frame, the words, the seconds so far
    assert shown.endswith(CLEAR)  # the line is wiped, so the answer starts on a clean line


def test_a_pipe_or_log_gets_nothing():
    stream = io.StringIO()
    with Spinner("loading", stream=stream, delay=0, interval=0.01) as spinner:
        assert not spinner.enabled
    assert stream.getvalue() == ""


def test_ask_in_a_terminal_says_it_is_loading_and_keeps_stdout_clean(built_index):
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "bot.faces.cli", "--data-dir", str(built_index), "ask", "--no-run",
                           "what is a leaf tensor"], stdout=subprocess.PIPE, stderr=follower, text=True, timeout=300)
    os.close(follower)
    shown = read_all(leader)
    os.close(leader)
    assert done.returncode == 0
    assert "loading the index and the embedding model… " in shown  # the load takes seconds (torch, the model)
    assert "…" not in done.stdout and "\x1b[2K" not in done.stdout
