"""The web chat in a real browser: answers, citations, verdict badges, related questions,
the code panel, abstention, and likes stored in SQLite."""
import sqlite3
from pathlib import Path

from bot.faces.wording import ENGLISH, PHRASES

ZH = PHRASES["zh"]  # a question with Chinese in it gets Chinese badges and headings

SCREENSHOT = Path(__file__).parents[2] / "docs" / "screenshot.png"
QUESTION = "y = x^2 + 3x + 1，x=3 时 y 对 x 的梯度是多少？"  # the screenshot's: its own numbers, then a page's example


def ask(page, question: str):
    page.fill("#question textarea", question)
    page.click("#ask")


def last_bot_message(page, text: str, timeout: int = 60_000):
    """Wait until the last bot message contains `text`; return it."""
    message = page.locator("#chat [data-testid='bot']").last
    message.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    return message


def test_chinese_question_shows_answer_citation_and_an_honest_badge(page):
    ask(page, "grad_fn是什么意思,举例子详细说明")
    message = last_bot_message(page, ZH["confirmed"])
    text = message.inner_text()
    assert "AddBackward" in text and "📄 004_f12d77b702f2cfde.txt · main" in text
    assert f"{ZH['pages_example']} (c = a + b), {ZH['independent']}" in text  # the program from c=a+b
    assert "c = a + b" in text and ENGLISH["confirmed"] not in text


def test_a_claim_with_no_evidence_is_unchecked_and_a_demo_judges_nothing(page):
    ask(page, "pytorch的grad_fn")
    message = last_bot_message(page, ZH["unchecked"])
    text = message.inner_text()
    assert "no code for this claim" in text and "an illustration that judges nothing" in text
    assert "✅" not in text


def test_the_questions_own_numbers_come_first(page):
    ask(page, "z = x*y at x=4, y=5")
    message = last_bot_message(page, "For your numbers")
    text = message.inner_text()
    assert "dz/dx = 5 at x=4, y=5 (torch; sympy agrees)" in text and "dz/dy = 4" in text
    assert text.index("For your numbers") < text.index("No entry of the knowledge base covers this question")


def test_english_question_shows_a_contradicted_badge_with_torchs_value(page):
    ask(page, "How do I compute a Jacobian matrix with torch.autograd.grad? give an example")
    message = last_bot_message(page, "❌ contradicted")
    text = message.inner_text()
    assert "📄 003_fb5e48b6d614cee3.txt" in text and "tensor([[12., 0.], [0., 27.]])" in text  # the true Jacobian
    assert "independent" in text and "tensor([[12., 0.], [0., 18.]])" in text  # what the repaired code printed
    assert "Repaired" in text  # the labelled repair, with its diff


def test_clicking_a_related_question_asks_it(page):
    ask(page, "grad_fn是什么意思,举例子详细说明")
    last_bot_message(page, ZH["confirmed"])
    related = page.locator("#suggestions button").first
    question = related.inner_text().strip()
    related.click()
    users = page.locator("#chat [data-testid='user']")
    users.nth(1).wait_for(timeout=60_000)
    assert users.nth(1).inner_text().strip() == question
    last_bot_message(page, "📄")  # the related question got its own cited answer


def test_pasted_snippet_runs_and_shows_its_gradient(page):
    page.locator("#code .cm-content").click()
    page.keyboard.insert_text("import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\n"
                              "(w ** 3).sum().backward()\n")
    page.click("#run")
    page.locator("#run-output").get_by_text("[3.0, 12.0]").wait_for(timeout=60_000)
    assert "✅ ran" in page.inner_text("#run-output")


def test_answer_snippet_opens_in_the_code_panel(page):
    ask(page, "backward() 方法 x.grad y.grad 例子")
    last_bot_message(page, ZH["confirmed"])
    page.click("#open-snippet")
    page.locator("#code").get_by_text("backward()").first.wait_for(timeout=30_000)


def test_off_topic_question_is_declined(page):
    ask(page, "mysql 索引类型有哪些")
    message = last_bot_message(page, "知识库没有回答这个问题的条目")  # in the question's language
    assert "✅" not in message.inner_text()


def test_like_is_stored_in_sqlite_and_screenshot_is_saved(page, chat_server):
    ask(page, QUESTION)
    message = last_bot_message(page, ZH["confirmed"])
    assert ZH["your_numbers_title"] in message.inner_text() and f"{ZH['pages_example']} (x=2)" in message.inner_text()
    message.evaluate("m => m.scrollIntoView({block: 'start'})")  # the answer from its first line: your numbers
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.locator("#chat button[aria-label='Like'], #chat button[title='Like']").last.click()
    db = Path(chat_server["data_dir"]) / "feedback.sqlite3"
    for _ in range(50):
        rows = sqlite3.connect(db).execute("SELECT question, answer_id, liked FROM feedback").fetchall() \
            if db.exists() else []
        if rows:
            break
        page.wait_for_timeout(200)
    assert rows and rows[-1][0] == QUESTION and rows[-1][1] and rows[-1][2] == 1


def test_the_source_switch_answers_from_the_installed_torch_docs(page):
    page.locator("#source").get_by_text("torch-docs").click()
    ask(page, "怎么给张量注册一个梯度钩子 register_hook")
    message = last_bot_message(page, "docs: torch.")
    text = message.inner_text()
    assert "register" in text and " docs: torch." in text and "003_fb5e48b6d614cee3.txt" not in text
