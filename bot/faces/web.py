"""The Gradio web chat: answers with citations, a run snippet, claim badges, and a code panel."""

from pathlib import Path

from bot.answer.bot import Bot
from bot.answer.question import MAX_QUESTION_CHARS, BadQuestion
from bot.faces.feedback import FeedbackStore
from bot.faces.limits import LOOPBACK_HOSTS, MAX_HISTORY_MESSAGES, GuardedApp, RateLimit, SessionGate
from bot.faces.webview import answer_markdown, run_block, stage_line
from bot.faces.wording import PHRASES, busy, phrases
from bot.sandbox.pool import Busy
from kb.types import ORIGIN_CHOICES

EXAMPLES_FILE = Path(__file__).with_name("examples.txt")
MAX_SNIPPET_BYTES = 64 * 1024
CSS = ("#chat .message { font-size: 15px } footer { display: none !important }"
       " #chat pre, #chat pre code { white-space: pre-wrap !important; overflow-wrap: anywhere }"  # no hidden tails
       # a claim's table fits its column (the verdict never needs sideways scrolling); the run table's headers
       # stay on one line and that table scrolls sideways when it must
       " #chat table { width: 100%; table-layout: fixed }"
       " #chat td, #chat th { overflow-wrap: anywhere; word-break: normal } #chat th:last-child { width: 45% }"
       " #chat td code { white-space: normal !important; overflow-wrap: anywhere }"
       " #run-output table { display: block; overflow-x: auto } #run-output th { white-space: nowrap !important }"
       " @media (max-width: 640px) { #chat { height: 50vh !important; max-height: 50vh !important }"
       " #chat .message, #chat table, #run-output table { font-size: 13px }"
       # on a phone a claim row is a card: claim, quoted and torch side by side, the verdict across under them
       " #chat table, #chat thead, #chat tbody { display: block } #chat th:last-child { width: auto }"
       " #chat tr { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)) }"
       " #chat td:last-child, #chat th:last-child { grid-column: 1 / -1 } #chat td, #chat th { padding: 4px 6px } }")
# After an answer arrives, scroll the chat (not the page) to the question, so the answer's first lines show.
SHOW_ANSWER_START = """() => {
  const asked = document.querySelectorAll('#chat [data-testid="user"]');
  let box = asked.length ? asked[asked.length - 1] : null;
  const question = box;
  while (box && !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
    box = box.parentElement;
  }
  if (box) box.scrollTop += question.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
}"""


def example_questions() -> list[str]:
    """The example questions from their data file."""
    lines = EXAMPLES_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def run_markdown(bot: Bot, code: str, *, session: str = "") -> str:
    """Run a pasted snippet in the sandbox and show its output and each tensor's gradient; raises Busy when no
    worker is free in time."""
    if not code or not code.strip():
        return "⚠️ Paste or write a snippet first."
    if len(code.encode("utf-8", "surrogatepass")) > MAX_SNIPPET_BYTES:
        return f"⚠️ The snippet is too large (limit {MAX_SNIPPET_BYTES // 1024} KiB)."
    with bot.sandbox.lease(session, lane="run") as box:
        run = box.run(code)
    rows = [f"| `{t.name}` | {list(t.shape)} | {t.requires_grad} | {t.is_leaf} | {t.grad_fn or '—'} "
            f"| `{t.grad if t.grad is not None else '—'}` |" for t in run.tensors]
    table = ("| tensor | shape | requires_grad | is_leaf | grad_fn | grad |\n|---|---|---|---|---|---|\n"
             + "\n".join(rows)) if rows else "_No tensors left in the namespace._"
    status = "✅ ran" if run.ok else "❌ failed"
    return "\n\n".join(p for p in [f"**{status}** in {run.elapsed_ms:.0f} ms", run_block(run), table] if p)


def answer_turns(bot: Bot, question: str, origin: str = "all", *, session: str = ""):
    """The bot turn as it fills in: (answer so far, Markdown) per stage; the answer is None on bad input.
    Raises Busy when no sandbox worker is free in time."""
    yield None, stage_line("retrieve", question)
    try:
        answer = bot.retrieve(question, k=4, origin=origin if origin in ORIGIN_CHOICES else "all")
    except BadQuestion as exc:
        yield None, f"⚠️ {exc}"
        return
    yield answer, answer_markdown(answer, stage="run")
    with bot.sandbox.lease(session, lane="ask") as box:  # one worker for all of this answer's runs
        answer = bot.verify(answer, sandbox=box)  # the question's own numbers even when no entry answers it
    if not answer.abstained:
        yield answer, answer_markdown(answer, stage="check")
    yield answer, answer_markdown(answer)


def session_of(request) -> str:
    """Whose request this is: the browser tab's Gradio session, else the client's address."""
    if request is None:
        return ""
    return request.session_hash or (request.client.host if request.client else "")


def chip_worthy(chunk) -> bool:
    """Whether a related entry makes a good question chip: not a page's teaser of another article (spam blurbs),
    not a "question" that is really code."""
    from bot.answer.retrieve import is_excerpt
    from kb.extract.code import CODE_START

    return not is_excerpt(chunk) and not CODE_START.match(chunk.question.lstrip())


def kept_history(history: list | None) -> list:
    """The chat so far, only its last MAX_HISTORY_MESSAGES messages (a client sends it back with each ask)."""
    return list(history or [])[-MAX_HISTORY_MESSAGES:]


def build_app(bot: Bot, store: FeedbackStore, *, examples: list[str] | None = None, origin: str = "all",
              gate: SessionGate | None = None, likes: RateLimit | None = None):
    """The Blocks app; `bot` and `store` are shared by every session, `gate` and `likes` bound each one."""
    import gradio as gr

    examples = examples or example_questions()
    gate, likes = gate or SessionGate(), likes or RateLimit()

    def respond(question: str, history: list, turns: dict, source: str = "all", request: gr.Request = None):
        # `source` is the `ask` API's name for the origin
        session = session_of(request)
        if not (question or "").strip():  # no empty bubble: a short note, and the chat stays as it was
            gr.Warning(" / ".join(words["empty_question"] for words in PHRASES.values()))
            yield history, turns, gr.update(), question
            return
        history = kept_history(history) + [{"role": "user", "content": question},
                                           {"role": "assistant", "content": ""}]
        answer = None
        try:
            with gate.admit(session):
                for answer, markdown in answer_turns(bot, question, source, session=session):
                    history[-1] = {"role": "assistant", "content": markdown}
                    yield history, turns, gr.update(), ""
        except Busy as exc:  # the session's gate or the sandbox pool: the question stays in the box to retry
            history[-1] = {"role": "assistant", "content": busy(str(exc), exc.retry_after)}
            yield history, turns, gr.update(), question
            return
        if answer is None:
            return
        best = answer.best
        turns = {k: v for k, v in turns.items() if int(k) >= len(history) - MAX_HISTORY_MESSAGES}
        turns[str(len(history) - 1)] = {"question": answer.query, "answer_id": best.chunk.id if best else None,
                                        "code": answer.check.snippet.code if answer.check else ""}
        related = [[h.chunk.question] for h in answer.hits[1:] if chip_worthy(h.chunk)] if best else []
        related = related or [[q] for q in examples]
        label = phrases(answer.query)["related" if best else "try"]
        yield history, turns, gr.update(samples=related, label=label), ""

    def run_code(text: str, request: gr.Request = None) -> str:
        session = session_of(request)
        try:
            with gate.admit(session):
                return run_markdown(bot, text, session=session)
        except Busy as exc:
            return busy(str(exc), exc.retry_after)

    def like(turns: dict, data: gr.LikeData, request: gr.Request = None) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = turns.get(str(index))
        if turn and likes.allow(session_of(request)):
            store.record(turn["question"], turn["answer_id"], data.liked is True or data.liked == "Like")

    def last_snippet(turns: dict) -> str:
        codes = [t["code"] for _, t in sorted(turns.items(), key=lambda kv: int(kv[0])) if t["code"]]
        return codes[-1] if codes else ""

    with gr.Blocks(title="autograd-kb") as app:
        gr.Markdown("## autograd-kb — PyTorch autograd answers, checked by running the code")
        turns = gr.State({})
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Chat", show_label=False, height="62vh", elem_id="chat", layout="panel",
                                  autoscroll=False)
                question = gr.Textbox(label="Question / 问题", max_length=MAX_QUESTION_CHARS, elem_id="question",
                                      placeholder="Ask about backward, grad_fn, leaf tensors, Jacobians… "
                                                  "(中文 / English)")
                with gr.Row():
                    ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=3)
                    answer_from = gr.Radio(list(ORIGIN_CHOICES), value=origin, label="Answer from", elem_id="source",
                                      info="the Q&A pages, the installed torch's docs, or both", scale=2)
                suggestions = gr.Dataset(components=[gr.Textbox(visible=False)], samples=[[q] for q in examples],
                                         label="Try", elem_id="suggestions", type="values")
            with gr.Column(scale=2):
                code = gr.Code(language="python", label="Code panel", lines=14, interactive=True, elem_id="code")
                with gr.Row():
                    run = gr.Button("Run", variant="primary", elem_id="run")
                    open_snippet = gr.Button("Open the answer's snippet", elem_id="open-snippet")
                output = gr.Markdown(elem_id="run-output")
        outputs = [chat, turns, suggestions, question]
        inputs = [question, chat, turns, answer_from]
        ask.click(respond, inputs, outputs, api_name="ask").then(None, js=SHOW_ANSWER_START)
        question.submit(respond, inputs, outputs).then(None, js=SHOW_ANSWER_START)
        suggestions.click(lambda sample: sample[0], suggestions, question).then(respond, inputs, outputs).then(
            None, js=SHOW_ANSWER_START)
        chat.like(like, [turns], None)
        run.click(run_code, code, output, api_name="run")
        open_snippet.click(last_snippet, turns, code)
    return app


def serve(bot: Bot, store: FeedbackStore, *, host: str, port: int, max_queue: int = 32, quiet: bool = False,
          origin: str = "all", auth: tuple[str, str] | None = None, hosts: tuple[str, ...] = LOOPBACK_HOSTS) -> None:
    """Serve the app (blocking) behind the request guard: Host allow-list, body cap, no uploads, optional login.

    Every ask and run starts at once (no Gradio concurrency limit): the session gate and the sandbox pool,
    not a first-come queue, decide who waits."""
    import gradio as gr
    import uvicorn
    from fastapi import FastAPI

    app = build_app(bot, store, origin=origin)
    app.queue(max_size=max_queue, default_concurrency_limit=None)
    api = gr.mount_gradio_app(FastAPI(), app, path="", auth=auth, css=CSS, show_error=True, footer_links=[],
                              max_file_size=0)
    uvicorn.run(GuardedApp(api, hosts=hosts), host=host, port=port, log_level="warning" if quiet else "info")
