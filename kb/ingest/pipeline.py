"""From document folders to chunks: parse, classify, drop, merge, chunk — with a report."""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kb.ingest.chunk import make_chunks
from kb.ingest.classify import classify
from kb.ingest.dedupe import Entry, merge_duplicates
from kb.ingest.parse import PARSERS, parse_file
from kb.settings import CORPUS_DIR
from kb.types import Chunk, Record

MAX_FILE_BYTES = 5 * 1024 * 1024
NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # in a file name, tab and newline too
MAX_RECORD_CHARS = 20_000  # one Q&A; the longest bundled answer is 1,709 (ten chunks at most)


@dataclass
class Report:
    """What a build found, kept, dropped and why."""

    documents: int = 0
    records: int = 0
    kept: int = 0
    dropped: Counter = field(default_factory=Counter)
    merged: int = 0
    chunks: int = 0
    code_blocks: int = 0
    code_parsed: int = 0
    docs_apis: int = 0
    docs_chunks: int = 0
    docs_examples: int = 0
    docs_claims: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    drops: list[tuple[str, str, str]] = field(default_factory=list)  # (citation, question, reason)

    def to_dict(self) -> dict:
        """The report as JSON-ready data (kept in the manifest)."""
        return {**asdict(self), "dropped": dict(self.dropped)}

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        """Rebuild a report from `to_dict` output."""
        fields = {**data, "dropped": Counter(data["dropped"])}
        fields["skipped"] = [tuple(x) for x in data["skipped"]]
        fields["drops"] = [tuple(x) for x in data["drops"]]
        return cls(**fields)

    def lines(self) -> list[str]:
        """The summary as printable lines."""
        dropped = ", ".join(f"{n} {reason}" for reason, n in self.dropped.most_common()) or "none"
        out = [f"documents: {self.documents}", f"records found: {self.records}",
               f"kept: {self.kept}", f"dropped: {sum(self.dropped.values())} ({dropped})",
               f"merged duplicates: {self.merged}", f"chunks: {self.chunks}",
               f"code blocks that parse after reflow: {self.code_parsed}/{self.code_blocks}"]
        if self.docs_apis:
            out.append(f"torch docs: {self.docs_apis} APIs, {self.docs_chunks} chunks, "
                       f"{self.docs_examples} with examples, {self.docs_claims} printed outputs to check")
        out += [f"skipped {path}: {reason}" for path, reason in self.skipped]
        return out


def shown(path: Path) -> str:
    """The path as printable, storable text: bytes of its name that are not UTF-8 become �, control characters
    (terminal escapes, newlines) become \\xNN."""
    text = os.fsencode(path).decode("utf-8", "replace")
    return NAME_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _unread_because(path: Path, root: Path) -> str | None:
    """Why a document of an indexed type is not read, or None when it is."""
    if not path.resolve().is_relative_to(root):
        return "a link to outside the folder"
    if os.fsencode(path).decode("utf-8", "replace") != str(path):
        return "name is not valid UTF-8"
    if shown(path) != str(path):
        return "name holds control characters"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES // 2**20} MB"
    return "empty file" if size == 0 else None


def folder_files(folder: Path) -> list[tuple[Path, str | None]]:
    """Every file of an indexed type under the folder, with why it is not read (None: it is). Nothing else in
    the folder is opened, and nothing a link leads to outside it."""
    root = folder.resolve()
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in PARSERS and p.is_file())
    return [(path, _unread_because(path, root)) for path in paths]


def document_paths(dirs: list[Path], report: Report) -> list[Path]:
    """Every supported file under the folders, with unusable ones noted in the report."""
    paths = []
    for folder in dirs:
        if not folder.is_dir():
            report.skipped.append((shown(folder), "not a folder"))
            continue
        found = folder_files(folder)
        if not found:
            report.skipped.append((shown(folder), "no .txt, .md or .html documents"))
        for path, reason in found:
            if reason:
                report.skipped.append((shown(path), reason))
            else:
                paths.append(path)
    return paths


def load_records(dirs: list[Path], report: Report) -> list[Record]:
    """Parse every document; unreadable ones are skipped with their reason."""
    records = []
    for path in document_paths(dirs, report):
        try:
            found = parse_file(path)
        except (ValueError, OSError) as exc:
            report.skipped.append((shown(path), str(exc)))
            continue
        if not found:
            report.skipped.append((shown(path), "no questions found"))
            continue
        report.documents += 1
        records += found
    report.records = len(records)
    return records


def clean(records: list[Record], report: Report) -> list[Entry]:
    """Keep autograd and torch records (tagged), drop the rest with a reason, merge duplicates."""
    entries = []
    for record in records:
        too_long = len(record.question) + len(record.answer) > MAX_RECORD_CHARS
        verdict = None if too_long else classify(record.question, record.answer)
        if verdict is None or verdict.topic == "off-topic":
            reason = f"longer than {MAX_RECORD_CHARS:,} characters" if verdict is None else verdict.reason
            report.dropped[reason] += 1
            report.drops.append((record.citation.cite(), record.question[:80], reason))
        else:
            entries.append(Entry(record.question, record.answer, (record.citation,),
                                 verdict.topic, verdict.tags))
    entries, report.merged = merge_duplicates(entries)
    report.kept = len(entries)
    return entries


def build_chunks(dirs: list[Path] | None = None, *, torch_docs: bool = False) -> tuple[list[Chunk], Report]:
    """Run the whole cleaning pipeline over the bundled corpus plus any extra folders, and with
    `torch_docs` add the installed torch's autograd documentation."""
    report = Report()
    entries = clean(load_records([CORPUS_DIR, *(dirs or [])], report), report)
    chunks = [c for e in entries for c in make_chunks(e)]
    codes = list({c.code.raw: c.code for c in chunks if c.code}.values())  # parts share their code
    report.code_blocks, report.code_parsed = len(codes), sum(c.parsed for c in codes)
    if torch_docs:
        chunks += add_torch_docs(report)
    report.chunks = len(chunks)
    return chunks, report


def add_torch_docs(report: Report) -> list[Chunk]:
    """The torch documentation's chunks, counted in the report."""
    from kb.ingest.torchdocs import build_doc_chunks

    docs, counts = build_doc_chunks()
    report.docs_apis, report.docs_chunks = counts["apis"], len(docs)
    report.docs_examples, report.docs_claims = counts["examples"], counts["claims"]
    report.skipped += [(f"torch docs: {name}", why) for name, why in counts["missing"]]
    return docs
