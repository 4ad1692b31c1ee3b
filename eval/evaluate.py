"""Retrieval and abstention metrics over a labelled question set, with an ablation and a threshold sweep."""
from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answer.abstain import Evidence, Policy, weigh
from bot.answer.retrieve import Retriever, SearchOptions
from kb.types import Chunk

DEV_SET = Path(__file__).parent / "sets" / "dev.jsonl"  # pages' questions and off-topic ones
DOCS_SET = Path(__file__).parent / "sets" / "docs.jsonl"  # questions only the torch docs answer
HELDOUT_SET = Path(__file__).parent / "sets" / "heldout.jsonl"  # written blind from the chunk texts
UNCOVERED_SET = Path(__file__).parent / "sets" / "uncovered.jsonl"  # on-topic questions no chunk answers (tuning)
OFFTOPIC_SET = Path(__file__).parent / "sets" / "offtopic.jsonl"  # sneaky off-topic questions (tuning)
BLIND_SET = Path(__file__).parent / "sets" / "blind.jsonl"  # written blind from the chunk texts (tuning)
DEFAULT_SETS = (HELDOUT_SET, DEV_SET, DOCS_SET, UNCOVERED_SET, OFFTOPIC_SET, BLIND_SET)
SPLITS = ("heldout", "tune", "")  # reported in this order: held-out first
FULL = "hybrid + bridge"  # what answers use
VARIANTS = {
    "dense only (glossed query, cosine ranking)": SearchOptions(lexical=False, fusion="none"),
    "lexical only (BM25 ranking)": SearchOptions(dense=False, bridge=False, fusion="none"),
    "hybrid": SearchOptions(bridge=False),
    FULL: SearchOptions(),
    "hybrid + bridge, RRF fusion": SearchOptions(fusion="rrf"),
    "hybrid + bridge, comparisons not split": SearchOptions(compare=False),
    "hybrid + bridge, typos not matched": SearchOptions(typos=False),
    "hybrid + bridge, defined names not lifted": SearchOptions(names=False),
    "hybrid + bridge, parts not ordered by similarity": SearchOptions(parts=False),
}
CUTOFFS = (1, 3, 5)


@dataclass(frozen=True)
class Query:
    """A labelled question: relevant entries are those containing one of its quotes."""

    id: str
    text: str
    lang: str
    kind: str
    quotes: tuple[str, ...]
    split: str = ""  # "heldout" (never tuned on), "tune", or "" when a set is not split

    @property
    def answerable(self) -> bool:
        """Whether the knowledge base should answer it."""
        return bool(self.quotes)


def _query(row: object) -> Query:
    """One set line's question, checked like a question typed into `ask`."""
    from bot.answer.question import validate_question

    if not isinstance(row, dict) or "id" not in row or "query" not in row:
        raise ValueError("not a question object (it needs an id and a query)")
    relevant = row.get("relevant", [])
    if not isinstance(relevant, list) or not all(isinstance(q, str) and q for q in relevant):
        raise ValueError("relevant must be a list of non-empty quotes")
    text = validate_question(row["query"])
    split = str(row.get("split", ""))
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(s for s in SPLITS if s)}, not {split!r}")
    return Query(str(row["id"]), text, str(row.get("lang", "?")), str(row.get("kind", "?")), tuple(relevant),
                 split)


def load_set(path: Path = DEV_SET) -> list[Query]:
    """Read a JSONL question set; a malformed line raises ValueError naming it."""
    queries = []
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc})") from None
        try:
            queries.append(_query(row))
        except ValueError as exc:  # BadQuestion among them
            raise ValueError(f"{path}:{number}: {exc}") from None
    if not queries:
        raise ValueError(f"{path} holds no questions")
    return unique_ids(queries, f"{path}: question ids repeat")


def load_sets(paths: list[Path]) -> list[Query]:
    """Several question sets as one; ids must stay unique across them."""
    return unique_ids([q for path in paths for q in load_set(path)], "question ids repeat across the sets")


def unique_ids(queries: list[Query], problem: str) -> list[Query]:
    """The queries, or ValueError (`problem` and the first repeated ids) when an id repeats."""
    repeated = sorted(i for i, n in Counter(q.id for q in queries).items() if n > 1)
    if repeated:
        raise ValueError(f"{problem} ({', '.join(repeated[:5])})")
    return queries


def relevant_docs(queries: list[Query], chunks: list[Chunk]) -> dict[str, set[str]]:
    """For each answerable query, the ids of chunks whose question or text contains a quote."""
    texts = {c.id: f"{c.question}\n{c.text}" for c in chunks}
    return {q.id: {cid for cid, text in texts.items() if any(quote in text for quote in q.quotes)}
            for q in queries if q.answerable}


def answer_origins(qrels: dict[str, set[str]], chunks: list[Chunk]) -> dict[str, str]:
    """Which origin answers each question: "pages", "torch-docs", or "both" when each has a relevant entry."""
    origin = {c.id: c.origin for c in chunks}
    found = {qid: {origin[i] for i in ids} for qid, ids in qrels.items() if ids}
    return {qid: o.pop() if len(o) == 1 else "both" for qid, o in found.items()}


def retrieve_all(retriever: Retriever, queries: list[Query], *, origin: str,
                 options: SearchOptions) -> tuple[dict, dict[str, Evidence]]:
    """Ranked chunk scores for every query under one variant, and the evidence abstention would weigh."""
    run, evidence = {}, {}
    for q in queries:
        hits = retriever.search(q.text, k=10, origin=origin, options=options)
        run[q.id] = {h.chunk.id: h.score for h in hits} or {"-": 0.0}
        evidence[q.id] = weigh(retriever, q.text, hits, origin=origin)
    return run, evidence


def retrieval_metrics(qrels: dict[str, set[str]], run: dict, ids: list[str]) -> dict[str, float]:
    """Recall@k as hit rate (any relevant entry in the top k), MRR@10 and nDCG@10, via ranx."""
    from ranx import Qrels, Run, evaluate

    ids = [i for i in ids if qrels.get(i)]
    if not ids:
        return {}
    metrics = [f"hit_rate@{k}" for k in CUTOFFS] + ["mrr@10", "ndcg@10"]
    with warnings.catch_warnings():  # ranx's compiled hit rate casts its counts, harmlessly, and says so
        warnings.filterwarnings("ignore", message="unsafe cast from uint64 to int64")
        scores = evaluate(Qrels({i: {d: 1 for d in qrels[i]} for i in ids}), Run({i: run[i] for i in ids}),
                          metrics, make_comparable=True)
    return {m.replace("hit_rate", "recall"): float(v) for m, v in scores.items()}


def abstention_metrics(queries: list[Query], evidence: dict[str, Evidence], policy: Policy, *,
                       lacking: frozenset[str] = frozenset()) -> dict:
    """Abstention on unanswerable questions (recall), its precision, the false-abstain rate, and the share
    declined of off-topic questions, of on-topic ones no chunk covers (kind "uncovered") and, asked of one
    source, of answerable ones only another source answers (`lacking`: declining them is right)."""
    abstained = {q.id for q in queries if not policy.answers(evidence[q.id])}
    lacking = lacking & {q.id for q in queries}
    off = {q.id for q in queries if not q.answerable}
    on = {q.id for q in queries if q.answerable} - lacking
    share = lambda ids: len(abstained & ids) / len(ids) if ids else None  # noqa: E731
    return {"abstain_recall": len(abstained & off) / len(off) if off else 1.0,
            "abstain_precision": len(abstained & off) / len(abstained - lacking) if abstained - lacking else 1.0,
            "false_abstain": len(abstained & on) / len(on) if on else 0.0,
            "declined_off_topic": share({q.id for q in queries if not q.answerable and q.kind != "uncovered"}),
            "declined_uncovered": share({q.id for q in queries if q.kind == "uncovered"}),
            "declined_source_lacks": share(set(lacking))}


def sweep(queries: list[Query], evidence: dict[str, Evidence], base: Policy, *,
          lacking: frozenset[str] = frozenset()) -> list[dict]:
    """Abstention figures as the coverage needed for questions with only ambiguous terms varies."""
    rows = []
    for weak in [x / 100 for x in range(0, 61)]:
        policy = replace(base, weak_min_coverage=weak)
        rows.append({"weak_min_coverage": weak, **abstention_metrics(queries, evidence, policy, lacking=lacking)})
    return rows


def best_policy(rows: list[dict], *, max_false_abstain: float = 0.05) -> dict:
    """The middle of the best plateau: most off-topic abstention at an acceptable false-abstain rate,
    then fewest false abstentions; the median of those ties leaves a margin on both sides."""
    ok = [r for r in rows if r["false_abstain"] <= max_false_abstain] or rows
    key = lambda r: (round(r["abstain_recall"], 9), -round(r["false_abstain"], 9))  # noqa: E731
    top = max(map(key, ok))
    ties = [r for r in ok if key(r) == top]
    return ties[len(ties) // 2]


def evaluate_set(retriever: Retriever, queries: list[Query], policy: Policy, *, origin: str = "all",
                 progress: Callable[[str], None] | None = None) -> dict:
    """All metrics: per variant, per answering origin and language for the full system, abstention and its
    sweep. With an `origin`, only its chunks are searched and count as relevant; `progress` hears which
    variant is being measured."""
    chunks = [c for c in retriever.index.chunks if origin in ("all", c.origin)]
    qrels = relevant_docs(queries, chunks)
    ids = [q.id for q in queries]
    result: dict = {"questions": len(queries), "answerable": len(qrels), "origin": origin, "variants": {}}
    for n, (name, options) in enumerate(VARIANTS.items(), 1):
        if progress:
            progress(f"{name} ({n}/{len(VARIANTS)})")
        result["variants"][name] = retrieval_metrics(
            qrels, retrieve_all(retriever, queries, origin=origin, options=options)[0], ids)
    run, evidence = retrieve_all(retriever, queries, origin=origin, options=VARIANTS[FULL])
    origins = answer_origins(qrels, chunks)
    result["by_origin"] = {
        origin: retrieval_metrics(qrels, run, [q.id for q in queries if origins.get(q.id) == origin])
        for origin in sorted(set(origins.values()))}
    result["by_language"] = {
        lang: retrieval_metrics(qrels, run, [q.id for q in queries if q.lang == lang])
        for lang in sorted({q.lang for q in queries})}
    lacking = frozenset(q.id for q in queries if q.answerable and not qrels.get(q.id)) if origin != "all" \
        else frozenset()  # asked of one source, what only another answers
    result["abstention"] = abstention_metrics(queries, evidence, policy, lacking=lacking)
    result["abstention_by_language"] = {
        lang: abstention_metrics([q for q in queries if q.lang == lang], evidence, policy, lacking=lacking)
        for lang in sorted({q.lang for q in queries})}
    result["policy"] = {"weak_min_coverage": policy.weak_min_coverage}
    result["sweep"] = sweep(queries, evidence, policy, lacking=lacking)
    result["best_sweep_point"] = best_policy(result["sweep"])
    return result
