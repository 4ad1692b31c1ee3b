"""The web chat's turn stream and code panel, without a browser (the browser tests are in tests/web)."""
from bot.faces.web import answer_turns, example_questions, run_markdown
from bot.faces.wording import ENGLISH, PHRASES


def test_a_turn_streams_retrieving_running_checking_then_the_answer_in_the_questions_language(bot):
    for question, words in [("backward() 方法怎么用,x.grad 是多少", PHRASES["zh"]),
                            ("How does backward() fill x.grad for y = x**2 + 3*x + 1?", ENGLISH)]:
        stages = [markdown for _, markdown in answer_turns(bot, question)]
        assert stages[0] == words["retrieving"]
        assert words["running"] in stages[1] and words["checking"] in stages[2]
        final = stages[-1]
        assert words["confirmed"] in final and words["checking"] not in final
        assert words["claims_header"] in final and f"**{words['snippet']}**" in final


def test_bad_and_off_topic_questions(bot):
    assert [m for _, m in answer_turns(bot, "   ")][-1].startswith("⚠️ the question is empty")
    assert ENGLISH["not_covered"] in [m for _, m in answer_turns(bot, "how do I center a div")][-1]


def test_code_panel_runs_in_the_sandbox_and_caps_input(bot):
    out = run_markdown(bot, "import torch\nx = torch.ones(2, requires_grad=True)\n(3 * x).sum().backward()\n")
    assert "✅ ran" in out and "[3.0, 3.0]" in out
    assert "too large" in run_markdown(bot, "#" * 70_000)
    assert "Paste" in run_markdown(bot, "  ")
    assert "❌ failed" in run_markdown(bot, "open('/etc/passwd').read()")


def test_examples_come_from_the_data_file():
    examples = example_questions()
    assert len(examples) >= 4 and any("梯度" in q for q in examples) and any(q.isascii() for q in examples)
