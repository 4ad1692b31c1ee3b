"""Turn a simple HTML Q&A page into Markdown: headings, paragraphs and fenced code."""
from __future__ import annotations

from html.parser import HTMLParser

SKIP = {"script", "style", "nav", "footer", "header", "head", "aside"}
HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####"}


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIP:
            self.skip += 1
        elif tag in HEADINGS:
            self.out.append(f"\n\n{HEADINGS[tag]} ")
        elif tag == "pre":
            self.pre += 1
            self.out.append("\n\n```python\n")
        elif tag in ("p", "div", "li", "br"):
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.out.append("\n```\n")
        elif tag in HEADINGS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.out.append(data if self.pre else " ".join(data.split()) + (" " if data[-1:].isspace() else ""))


def html_to_markdown(text: str) -> str:
    """Render HTML as Markdown, dropping navigation, scripts and styles."""
    parser = _ToMarkdown()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)
