"""Split a scraped Q&A page into records: main answer, related Q&A, recommendations, articles."""
from __future__ import annotations

import re
from pathlib import Path

from kb.text import CONTROL
from kb.types import Citation, Record

TIME_LINE = re.compile(r"^\s*时间[:：]\s*\d{4}-\d{1,2}-\d{1,2}.*$")
NOISE_LINE = re.compile(r"^\s*(阅读全文|展开全文|收起全文|点击查看全文)\s*$")
MARKERS = {  # a line that is only this word switches the page section
    "相关问题": "related",
    "相关推荐": "recommend",
    "最新推荐": "recommend",
    "相关文章": "article",
    "相关资源": "recommend",
}
ITEM_SEPARATOR = "recommend-type"


def normalize(text: str) -> str:
    """Unify line endings and drop a BOM and trailing spaces."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _marker(line: str) -> str | None:
    word = line.strip().rstrip(":：").strip()
    return MARKERS.get(word)


def _split_sections(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Cut the page at marker lines into (section, lines) runs, in order."""
    runs: list[tuple[str, list[str]]] = [("main", [])]
    for line in lines:
        section = _marker(line)
        if section:
            runs.append((section, []))
        elif not TIME_LINE.match(line) and not NOISE_LINE.match(line):
            runs[-1][1].append(line)
    return runs


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Group lines into blank-line separated paragraphs."""
    paras: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    return [p for p in paras if p]


def _pairs(lines: list[str]) -> list[tuple[str, str]]:
    """Pair units as (question, answer); units are paragraphs, or lines when there is one paragraph."""
    paras = _paragraphs(lines)
    units = ["\n".join(p) for p in paras] if len(paras) > 1 else (paras[0] if paras else [])
    return [(units[i], units[i + 1] if i + 1 < len(units) else "") for i in range(0, len(units), 2)]


def _items(lines: list[str]) -> list[tuple[str, str]]:
    """Split a recommendation run at `recommend-type` lines into (title, body) items."""
    if not any(line.strip() == ITEM_SEPARATOR for line in lines):
        return _pairs(lines)
    items: list[list[str]] = [[]]
    for line in lines:
        if line.strip() == ITEM_SEPARATOR:
            items.append([])
        else:
            items[-1].append(line)
    pairs = []
    for paras in map(_paragraphs, items):
        if paras:
            pairs.append(("\n".join(paras[0]), "\n".join("\n".join(p) for p in paras[1:])))
    return pairs


def parse_page(text: str, file: str) -> list[Record]:
    """Parse one scraped page into records, the first being the page's own question."""
    runs = _split_sections(normalize(text).split("\n"))
    main = list(runs[0][1])
    while main and not main[0].strip():
        main.pop(0)
    records: list[Record] = []
    if main:
        answer = "\n".join(main[1:]).strip()
        records.append(Record(main[0].strip(), answer, Citation(file, "main")))
    for section, lines in runs[1:]:
        pairs = _items(lines) if section == "recommend" else _pairs(lines)
        records += [Record(q.strip(), a.strip(), Citation(file, section)) for q, a in pairs if q.strip()]
    return records


def _headings(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, level) of each Markdown heading outside code fences."""
    found, in_fence = [], False
    for i, line in enumerate(lines):
        in_fence ^= line.lstrip().startswith("```")
        match = re.match(r"^(#{1,4})\s+\S", line) if not in_fence else None
        if match:
            found.append((i, len(match.group(1))))
    return found


def _title_line(headings: list[tuple[int, int]]) -> int | None:
    """The document's title: a first, top-level heading used once, with deeper headings after it."""
    if len(headings) < 2:
        return None
    (first, level), levels = headings[0], [lv for _, lv in headings]
    return first if levels.count(level) == 1 and level == min(levels) else None


def parse_markdown(text: str, file: str) -> list[Record]:
    """Parse a Markdown Q&A file: each heading is a question, the text under it the answer."""
    records: list[Record] = []
    lines = normalize(text).split("\n")
    headings = _headings(lines)
    title = _title_line(headings)
    starts = {i for i, _ in headings} - {title}
    question, body = None, []
    for i, line in enumerate(lines):
        if i == title:
            continue
        if i in starts:
            heading = re.match(r"^#{1,4}\s+(.+)$", line)
            if question:
                records.append(Record(question, "\n".join(body).strip(), Citation(file, "main")))
            question, body = heading.group(1).strip(), []
        elif question:
            body.append(line)
    if question:
        records.append(Record(question, "\n".join(body).strip(), Citation(file, "main")))
    return records


def parse_html(text: str, file: str) -> list[Record]:
    """Parse an HTML Q&A page: headings are questions; paragraphs and code blocks the answers."""
    from kb.ingest.html import html_to_markdown

    return parse_markdown(html_to_markdown(text), file)


PARSERS = {".txt": parse_page, ".md": parse_markdown, ".markdown": parse_markdown,
           ".html": parse_html, ".htm": parse_html}


def parse_file(path: Path) -> list[Record]:
    """Parse a document by its extension; raises ValueError for unreadable input."""
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise ValueError(f"unsupported file type {path.suffix!r}")
    data = path.read_bytes()
    if b"\0" in data:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8").replace("\f", "\n")  # a page break is a line break
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from None
    control = CONTROL.search(text)
    if control:  # terminal escapes, backspaces and the like would reach people's screens
        raise ValueError(f"control character U+{ord(control.group()):04X} at character {control.start()}")
    return parser(text, path.name)
