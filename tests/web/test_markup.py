"""Pages are text, not markup: a page added with `build --add` whose text holds a Markdown image, an <img> tag and
an HTML-escaped <img> shows them as written in a real browser, and a loopback listener sees no request."""
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

QUESTION = "What does requires_grad_ on a markup beacon tensor do in torch autograd?"


@pytest.fixture(scope="module")
def beacon():
    """A loopback HTTP listener that records every path requested of it."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seen.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"port": server.server_address[1], "seen": seen}
    server.shutdown()


@pytest.fixture(scope="module")
def markup_server(built_index, tmp_path_factory, beacon, start_chat):
    root = tmp_path_factory.mktemp("markup")
    data_dir, docs = root / "data", root / "docs"
    shutil.copytree(built_index, data_dir, symlinks=True)
    docs.mkdir()
    url = f"http://127.0.0.1:{beacon['port']}"
    (docs / "beacon.md").write_text(
        f"# {QUESTION}\n\nCalling requires_grad_() turns on autograd tracking for the tensor in place, so backward() "
        f"fills its .grad. ![]({url}/markdown.png) <img src=\"{url}/img.png\"> and a link <{url}/autolink>.\n")
    (docs / "beacon.html").write_text(
        f"<h2>How does detach stop a markup beacon tensor from tracking gradients in torch autograd?</h2>"
        f"<p>detach() returns a tensor cut from the autograd graph, with requires_grad False. "
        f"&lt;img src=&quot;{url}/escaped.png&quot;&gt;</p>")
    built = subprocess.run([sys.executable, "-m", "bot.faces.cli", "--data-dir", str(data_dir), "build",
                            "--no-verify", "--add", str(docs)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    with start_chat(data_dir) as server:
        yield server


@pytest.mark.parametrize("question,shown", [
    (QUESTION, ["![](", '<img src="']),
    ("How does detach stop a markup beacon tensor from tracking gradients in torch autograd?", ['<img src="']),
])
def test_page_markup_is_shown_as_text_and_fetches_nothing(browser, markup_server, beacon, question, shown):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(markup_server["url"])
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.fill("#question textarea", question)
    page.click("#ask")
    message = page.locator("#chat [data-testid='bot']").last
    message.get_by_text("beacon", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # time for any image the page would fetch
    text = message.inner_text()
    assert all(s in text for s in shown), text
    assert message.locator("img").count() == 0
    page.close()
    assert beacon["seen"] == []
