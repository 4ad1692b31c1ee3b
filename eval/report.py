"""Write an evaluation's metrics.json, a Markdown report and PNG plots."""
from __future__ import annotations

import json
from pathlib import Path

from eval.evaluate import CUTOFFS

METRICS = [f"recall@{k}" for k in CUTOFFS] + ["mrr@10", "ndcg@10"]
ABSTENTION = ["abstain_recall", "abstain_precision", "false_abstain", "declined_off_topic", "declined_uncovered",
              "declined_source_lacks"]


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(rows: dict[str, dict], columns: list[str]) -> str:
    """A Markdown table: one row per key, one column per metric (— where a metric does not apply)."""
    head = "| | " + " | ".join(columns) + " |\n|---|" + "---|" * len(columns) + "\n"
    return head + "".join(f"| {name} | " + " | ".join(_cell(vals.get(c, float("nan"))) for c in columns)
                          + " |\n" for name, vals in rows.items())


def markdown(result: dict) -> str:
    """The report's text."""
    abst = result["abstention"]
    best = result["best_sweep_point"]
    return "\n".join([
        "# autograd-kb evaluation", "",
        f"{result['questions']} questions, {result['answerable']} answerable. Recall@k counts a question "
        "as found when a relevant entry is in the top k (ranx `hit_rate@k`); MRR@10 and nDCG@10 by ranx.", "",
        "## Retrieval ablation", "", table(result["variants"], METRICS),
        "## Full system by the origin that answers", "", table(result["by_origin"], METRICS),
        "## Full system by language", "", table(result["by_language"], METRICS),
        "## Abstention", "",
        table({"all": abst, **result["abstention_by_language"]}, ABSTENTION),
        f"Policy in use: `{result['policy']}`.", "",
        f"Best point of the threshold sweep (most off-topic abstention with false abstention ≤ 0.05, "
        f"middle of the plateau): weak_min_coverage = {best['weak_min_coverage']} "
        f"→ abstain recall {best['abstain_recall']:.3f}, "
        f"false abstain {best['false_abstain']:.3f}.", "",
        "![recall@k](recall.png)", "", "![abstention sweep](abstention_sweep.png)", ""])


def plots(result: dict, folder: Path) -> None:
    """recall.png (recall@k per variant) and abstention_sweep.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, vals in result["variants"].items():
        ax.plot(CUTOFFS, [vals.get(f"recall@{k}", 0) for k in CUTOFFS], marker="o", label=name)
    ax.set(xlabel="k", ylabel="recall@k", title="Retrieval by variant", ylim=(0, 1.02), xticks=CUTOFFS)
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "recall.png", dpi=100)
    plt.close(fig)
    rows = sorted(result["sweep"], key=lambda r: r["weak_min_coverage"])
    fig, ax = plt.subplots(figsize=(6, 4))
    xs = [r["weak_min_coverage"] for r in rows]
    ax.plot(xs, [r["abstain_recall"] for r in rows], label="off-topic abstention")
    ax.plot(xs, [r["false_abstain"] for r in rows], label="false abstention")
    ax.axvline(result["policy"]["weak_min_coverage"], color="grey", linestyle="--", label="policy")
    ax.set(xlabel="coverage needed for ambiguous questions", ylabel="rate",
           title="Abstention sweep (questions with only ambiguous terms)", ylim=(0, 1.02))
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "abstention_sweep.png", dpi=100)
    plt.close(fig)


def write_report(result: dict, folder: Path) -> list[Path]:
    """Write metrics.json, report.md and the plots; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "metrics.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (folder / "report.md").write_text(markdown(result))
    plots(result, folder)
    return [folder / n for n in ("metrics.json", "report.md", "recall.png", "abstention_sweep.png")]
