"""The question's own numbers come first: `ask --json` through the real CLI, index and sandbox computes them
(eval/sets/numbers.jsonl, values worked out by hand) whether or not an entry covers the question."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kb.extract.literal import flatten

NUMBERS = Path(__file__).parents[3] / "eval" / "sets" / "numbers.jsonl"
CASES = [json.loads(line) for line in NUMBERS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def answers(built_index) -> dict[str, dict]:
    """Every question of the set answered by one `ask - --json` process."""
    stdin = "\n".join(case["query"] for case in CASES) + "\n"
    out = subprocess.run([sys.executable, "-m", "bot.faces.cli", "--data-dir", str(built_index), "ask", "-", "--json"],
                         input=stdin, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == len(CASES)
    return {case["id"]: row for case, row in zip(CASES, rows)}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_torch_computes_the_questions_own_numbers(answers, case):
    computed = answers[case["id"]]["computed"]
    assert computed is not None and computed["ok"], computed
    origin = "question-code" if case["kind"] == "code" else "question-function"
    assert computed["origin"] == origin
    values = {v["name"]: v for v in computed["values"]}
    assert set(values) == set(case["expected"])
    for name, expected in case["expected"].items():
        assert flatten(values[name]["torch"]) == pytest.approx(flatten(expected), abs=1e-6), name
        if origin == "question-function":
            assert values[name]["agree"] is True and flatten(values[name]["sympy"]) == pytest.approx(flatten(expected))


def test_a_computable_question_no_entry_covers_is_still_answered(answers):
    row = answers["n05"]  # sin(x)*x**2: no page or doc has it
    assert row["abstained"] and row["hits"] == [] and row["computed"]["values"][0]["agree"]


def test_questions_without_numbers_compute_nothing(built_index):
    out = subprocess.run([sys.executable, "-m", "bot.faces.cli", "--data-dir", str(built_index), "ask", "--json",
                          "grad_fn是什么意思"], capture_output=True, text=True, timeout=300)
    assert json.loads(out.stdout)["computed"] is None


def test_the_terminal_shows_the_questions_numbers_first(built_index):
    question = "y = x^2 + 3x + 1，x=3 时 y 对 x 的梯度是多少？"
    out = subprocess.run([sys.executable, "-m", "bot.faces.cli", "--data-dir", str(built_index), "ask", question],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[:2]
    assert "for your numbers" in first[0] and first[1] == "dy/dx = 9 at x=3 (torch; sympy agrees)"
