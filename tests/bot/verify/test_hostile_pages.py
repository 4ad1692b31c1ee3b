"""Pages that lie, added with `build --add` and asked through the real CLI and sandbox: none gets a ✅ for its
false value, and each false value of stated maths is ❌ with the independent value (tests/bot/data/hostile)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parents[1] / "data" / "hostile"
CLI = [sys.executable, "-m", "bot.faces.cli"]
PAGES = sorted(HOSTILE.glob("*.md"))
# page: (claim target, the false value it quotes, the verdict, its evidence, torch's value)
EXPECTED = {
    "no_code.md": ("x.grad", "7", "contradicted", "independent", "tensor(12.)"),  # no code at all
    "forged_result.md": ("x.grad", "7", "contradicted", "independent", "tensor(12.)"),  # writes its own result
    "patched_torch.md": ("x.grad", "7", "contradicted", "independent", "tensor(12.)"),  # patches tolist/item/repr
    "hidden_code.md": ("x.grad", "12", "contradicted", "independent", "tensor(6.)"),  # x.grad.mul_(2) far right
    "misleading_comment.md": ("w.grad", "6", "contradicted", "source-code", "tensor(5.)"),  # a torch.rand( comment
    "copied_answer.md": ("x.grad", "5", "contradicted", "independent", "tensor(4.)"),  # a bundled answer + a lie
}


@pytest.fixture(scope="module")
def answers(built_index, tmp_path_factory) -> dict[str, dict]:
    """Each hostile page's question asked of an index that holds the bundled sources and the hostile folder."""
    data_dir = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(built_index, data_dir, symlinks=True)
    built = subprocess.run(CLI + ["--data-dir", str(data_dir), "build", "--no-verify", "--add", str(HOSTILE)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    questions = [page.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ") for page in PAGES]
    out = subprocess.run(CLI + ["--data-dir", str(data_dir), "ask", "-", "--json", "--source", "pages"],
                         input="\n".join(questions) + "\n", capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return {page.name: json.loads(line) for page, line in zip(PAGES, out.stdout.splitlines())}


def test_every_hostile_page_is_covered():
    assert sorted(p.name for p in PAGES) == sorted(EXPECTED)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_no_false_value_gets_a_badge(answers, page):
    target, quoted, verdict, evidence, actual = EXPECTED[page]
    claims = [c for c in answers[page]["claims"] if c["target"] == target and c["quoted"] == quoted]
    assert all(c["verdict"] != "confirmed" for c in answers[page]["claims"] if c["quoted"] == quoted)
    if page != "copied_answer.md" or claims:  # a copy may lose the merge to the bundled answer it copies
        assert [(c["verdict"], c["evidence"], c["actual"]) for c in claims] == [(verdict, evidence, actual)]


def test_a_page_whose_code_disagrees_with_its_maths_is_told_so(answers):
    for page in ("forged_result.md", "patched_torch.md", "hidden_code.md"):
        (claim,) = [c for c in answers[page]["claims"] if c["target"] == "x.grad"]
        assert "the page's code gives" in claim["why"] and "disagrees with the maths" in claim["why"], page


def test_hidden_code_is_shown_where_it_runs(answers):
    snippet = answers["hidden_code.md"]["snippet"]
    assert "y.backward() ;x.grad.mul_(2)" in snippet["code"]
    assert max(len(line) for line in snippet["code"].splitlines()) <= 160
    assert "y.backward() ;x.grad.mul_(2)" in answers["hidden_code.md"]["hits"][0]["text"]
