"""A real chat server on 127.0.0.1 and a real headless Chromium driven by Playwright."""
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; missing fails the run in CI and skips elsewhere."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = "Chromium is missing: install it with `apt-get install -y chromium` (never `playwright install`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def running_chat(data_dir: Path, *options: str, env: dict | None = None):
    """`autograd-kb chat [options]` on a free loopback port over `data_dir`, stopped on exit."""
    port = free_port()
    log = open(data_dir.parent / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "bot.faces.cli", "--data-dir", str(data_dir), "chat",
                             "--host", "127.0.0.1", "--port", str(port), *options], stdout=log,
                            stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((data_dir.parent / "server.log").read_text())
            time.sleep(0.5)
    try:
        yield {"url": url, "data_dir": data_dir, "proc": proc}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def start_chat():
    """running_chat, for tests that serve an index of their own."""
    return running_chat


@pytest.fixture(scope="session")
def chat_server(built_index, tmp_path_factory):
    """`autograd-kb chat` on a free loopback port, on a copy of the session's index."""
    data_dir = tmp_path_factory.mktemp("web") / "data"
    shutil.copytree(built_index, data_dir, symlinks=True)
    with running_chat(data_dir) as server:
        yield server


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, chat_server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(chat_server["url"])
    page.wait_for_selector("#question textarea", timeout=60_000)
    yield page
    page.close()
