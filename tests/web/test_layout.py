"""The chat as a person meets it on a desktop (1280×800) and a phone (390×844): what is in view, not how it
looks. Screenshots go to build/screens/ (the test artefacts)."""
import re
from pathlib import Path

import pytest

from bot.faces.wording import PHRASES

SCREENS = Path(__file__).parents[2] / "build" / "screens"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser, chat_server):
    page = browser.new_page(viewport=VIEWPORTS[request.param])
    page.goto(chat_server["url"])
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.viewport = request.param
    yield page
    page.close()


def shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}-{page.viewport}.png"), full_page=False)


def in_view(page, locator) -> bool:
    """Whether an element lies wholly inside the viewport (no scrolling needed to see it)."""
    box, size = locator.bounding_box(), page.viewport_size
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"] + 1 \
        and box["y"] + box["height"] <= size["height"] + 1


def ask(page, question: str):
    page.fill("#question textarea", question)
    page.click("#ask")


def last_answer(page, text: str):
    """The last bot message once it holds `text` and the turn has finished (the related questions are set)."""
    message = page.locator("#chat [data-testid='bot']").last
    message.get_by_text(text, exact=False).first.wait_for(timeout=90_000)
    related = "|".join(words["related"] for words in PHRASES.values())
    page.locator("#suggestions").get_by_text(re.compile(related)).first.wait_for(timeout=90_000)
    return message


def test_the_empty_page_shows_where_to_type(screen):
    shot(screen, "empty")
    assert in_view(screen, screen.locator("#question textarea"))
    assert in_view(screen, screen.locator("#ask"))


def test_the_verdict_of_a_claim_is_in_view_without_scrolling_sideways(screen):
    ask(screen, "grad_fn是什么意思,举例子详细说明")
    message = last_answer(screen, PHRASES["zh"]["confirmed"])
    verdict = message.get_by_text(PHRASES["zh"]["confirmed"], exact=False).first
    verdict.scroll_into_view_if_needed()
    shot(screen, "verdict")
    if screen.viewport == "phone":  # the README's phone screenshot: the claims table as a phone shows it
        screen.screenshot(path=str(Path(__file__).parents[2] / "docs" / "screenshot-phone.png"))
    box = verdict.bounding_box()
    assert box["x"] + box["width"] <= screen.viewport_size["width"] + 1  # not cut off on the right
    if screen.viewport == "phone":  # a card: claim, quoted, torch side by side, the verdict across under them
        table, claim = message.locator("table").last.bounding_box(), message.locator("td").first.bounding_box()
        cell = message.locator("td").nth(3).bounding_box()
        assert claim["width"] >= table["width"] / 4  # wide enough to read, not a letter per line
        assert cell["width"] >= table["width"] * 0.8 and cell["y"] >= claim["y"] + claim["height"] - 1


def test_after_an_answer_arrives_its_first_line_is_in_view(screen):
    ask(screen, "What is a leaf tensor?")
    message = last_answer(screen, "📄")
    screen.wait_for_timeout(500)  # the scroll runs after the last update
    shot(screen, "answer-start")
    heading, chat = message.locator("h3").first.bounding_box(), screen.locator("#chat").bounding_box()
    assert chat["y"] <= heading["y"] and heading["y"] + heading["height"] <= chat["y"] + chat["height"]
    assert in_view(screen, screen.locator("#chat [data-testid='user']").last)  # the question above it too


def test_flattened_code_keeps_its_asterisks(screen):
    ask(screen, "y = x**2 z = y*x 的梯度怎么算")
    message = last_answer(screen, "x**2")
    assert "x**2" in message.inner_text()


def test_an_empty_question_adds_no_bubble(screen):
    screen.click("#ask")
    screen.get_by_text(PHRASES["en"]["empty_question"], exact=False).first.wait_for(timeout=30_000)
    assert screen.locator("#chat [data-testid='user']").count() == 0
    assert screen.locator("#chat [data-testid='bot']").count() == 0


def test_the_chat_label_does_not_cover_the_conversation(screen):
    ask(screen, "What is a leaf tensor?")
    last_answer(screen, "📄")
    assert screen.locator("#chat").get_by_text("Chat", exact=True).count() == 0


def test_the_run_table_headers_read_as_words(screen):
    screen.locator("#code .cm-content").click()
    screen.keyboard.insert_text("import torch\nx = torch.ones(2, requires_grad=True)\n(3 * x).sum().backward()\n")
    screen.click("#run")
    header = screen.locator("#run-output th").get_by_text("requires_grad", exact=True)
    header.wait_for(timeout=60_000)
    shot(screen, "run-table")
    short = screen.locator("#run-output th").get_by_text("shape", exact=True).bounding_box()
    assert header.bounding_box()["height"] <= short["height"] + 1  # one line like "shape", not a letter per line


def test_related_questions_carry_no_code_or_teasers(screen):
    ask(screen, "backward() 方法怎么用")
    last_answer(screen, "📄")
    chips = [b.inner_text() for b in screen.locator("#suggestions button").all()]
    assert chips and not any(c.lstrip().startswith("#") or "详解" in c for c in chips), chips


def test_a_torch_docs_answer_reads_as_text_not_restructuredtext(screen):
    ask(screen, "How do I register a backward hook on a tensor?")
    message = last_answer(screen, "register_hook")
    shot(screen, "docs")
    text = message.inner_text()
    assert ".. note::" not in text and "``" not in text and "Example::" not in text
    assert "Note:" in message.locator("blockquote").first.inner_text()  # the note is a callout
    assert message.locator("code").get_by_text("handle.remove()", exact=True).count() == 1  # a literal is code
    blocks = [block.inner_text() for block in message.locator("pre").all()]
    assert any(b.startswith("hook(grad)") for b in blocks)  # a literal block is code
    assert any(">>> v.backward(" in b for b in blocks)  # so is the example
