"""Authored demos: each listed file exists and runs with its asserts passing; tags pick the right demo."""
import subprocess
import sys
import tomllib

import pytest

from bot.verify.demo import DEMOS_FILE, Demo, all_demos, demo_for

TAGS = ["backward", "grad", "grad_fn", "leaf", "detach", "no_grad", "retain_graph", "non_scalar", "jacobian",
        "requires_grad", "autograd_grad", "hooks", "second_order"]


def test_every_listed_demo_exists():
    entries = tomllib.loads(DEMOS_FILE.read_text(encoding="utf-8"))
    demos = all_demos()
    assert [d.topic for d in demos] == list(entries)
    for demo in demos:
        assert demo.path.is_file() and demo.code == demo.path.read_text(encoding="utf-8")
        assert 8 <= len(demo.code.splitlines()) <= 25


@pytest.mark.parametrize("demo", all_demos(), ids=lambda d: d.topic)
def test_demo_runs_and_its_asserts_pass(demo: Demo):
    out = subprocess.run([sys.executable, str(demo.path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()


def test_first_matching_tag_wins():
    assert demo_for(["leaf", "grad"]).path.name == "leaf.py"
    assert demo_for(["grad", "leaf"]).path.name == "backward.py"
    assert demo_for(["nothing", "second_order"]).path.name == "autograd_grad.py"
    assert demo_for(["hooks"]).path.name == "hooks.py"


def test_unknown_tags_give_none():
    assert demo_for(["nothing"]) is None
    assert demo_for([]) is None


@pytest.mark.parametrize("tag", TAGS)
def test_every_tag_has_a_demo(tag):
    assert demo_for([tag]) is not None
