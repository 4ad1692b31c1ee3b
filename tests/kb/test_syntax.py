"""Parsing from several threads at once: CPython 3.11's AST constructor races (a SystemError), kb.syntax does not."""
import ast
import sys
import threading
import time

from kb.syntax import literal_eval, parse

SOURCE = "\n".join(f"def f{i}(x):\n    return [x * {i} for _ in range({i})] + {{'a': (1, [2, 3])}}['a']"
                   for i in range(100))


class Finalized:
    def __del__(self):
        sum(range(50))  # Python code run by the garbage collector, wherever it strikes: the GIL may switch here


def race(parse_source, *, threads: int = 4, parses: int = 60) -> list[str]:
    """The SystemErrors raised while `threads` threads parse and another makes cyclic garbage with finalizers."""
    errors, stop = [], threading.Event()

    def garbage():
        while not stop.is_set():
            for _ in range(100):
                a, b = Finalized(), Finalized()
                a.other, b.other = b, a
            time.sleep(0)

    def work():
        for _ in range(parses):
            try:
                parse_source(SOURCE)
            except SystemError as exc:
                errors.append(str(exc))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    maker = threading.Thread(target=garbage)
    workers = [threading.Thread(target=work) for _ in range(threads)]
    try:
        maker.start()
        for t in workers:
            t.start()
        for t in workers:
            t.join()
    finally:
        stop.set()
        maker.join()
        sys.setswitchinterval(interval)
    return errors


def test_concurrent_parses_never_raise_where_plain_ast_parse_does():
    provoked = next((errors for _ in range(5) if (errors := race(ast.parse))), [])  # one round is enough, so far
    assert provoked and all("recursion depth mismatch" in e for e in provoked)  # the harness provokes the race
    assert race(parse, parses=120) == []


def test_parse_and_literal_eval_behave_as_the_standard_library():
    assert ast.dump(parse("y = x ** 2")) == ast.dump(ast.parse("y = x ** 2"))
    assert ast.dump(parse("a + 1", mode="eval")) == ast.dump(ast.parse("a + 1", mode="eval"))
    assert literal_eval("(None, [None, None])") == (None, [None, None])
