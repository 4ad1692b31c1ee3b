"""Torch docstrings read as blocks: the installed torch's own docstrings and small hand-written ones."""
import inspect

import torch

from bot.faces.rst import Block, inline_spans, rst_blocks


def test_a_real_docstring_becomes_notes_arguments_and_prose():
    blocks = rst_blocks(inspect.getdoc(torch.autograd.grad))
    kinds = [b.kind for b in blocks]
    assert kinds[0] == "text" and kinds.count("note") >= 2
    assert Block("heading", "Args") in blocks
    arguments = {b.label for b in blocks if b.kind == "item"}
    assert {"outputs", "inputs", "retain_graph", "create_graph"} <= arguments
    assert not any(".. note::" in b.text or b.text.startswith("Args:") for b in blocks)


def test_roles_and_literals_are_code_and_references_are_titles():
    spans = inline_spans("See :func:`~torch.autograd.grad`, :meth:`torch.Tensor.backward`, ``retain_graph=True``, "
                         "`vhp`, :ref:`Stream semantics<bwd-cuda>` and `the docs <https://pytorch.org>`_.")
    code = [t for t, is_code in spans if is_code]
    assert code == ["grad", "torch.Tensor.backward", "retain_graph=True", "vhp"]
    prose = "".join(t for t, is_code in spans if not is_code)
    assert "Stream semantics" in prose and "the docs" in prose and "<" not in prose and ":ref:" not in prose


def test_a_literal_block_and_a_doctest_are_code():
    blocks = rst_blocks("The hook has the signature::\n\n    hook(grad) -> Tensor\n\nThen:\n\n"
                        ">>> x = torch.ones(2, requires_grad=True)\n>>> x.sum().backward()\n\nDone.")
    assert blocks == [Block("text", "The hook has the signature:"), Block("code", "hook(grad) -> Tensor"),
                      Block("text", "Then:"),
                      Block("code", ">>> x = torch.ones(2, requires_grad=True)\n>>> x.sum().backward()"),
                      Block("text", "Done.")]


def test_example_headings_and_google_notes():
    blocks = rst_blocks("Example::\n\n    >>> f(1)\n    2\n\nNote:\n    Mind the *gap*.\n\n"
                        ".. warning::\n    Slow.\n\n    Really.")
    assert blocks == [Block("heading", "Example"), Block("code", ">>> f(1)\n2"),
                      Block("note", "Mind the *gap*.", "Note"), Block("note", "Slow.\n\nReally.", "Warning")]


def test_lists_keep_their_numbers_and_continuation_lines():
    blocks = rst_blocks("Either:\n\n1. Override forward\n   with ctx.\n2. Override setup_context.\n\n- a\n- b")
    assert [b.text for b in blocks] == ["Either:", "1. Override forward with ctx.", "2. Override setup_context.",
                                        "a", "b"]
    assert [b.kind for b in blocks] == ["text", "item", "item", "item", "item"]


def test_arguments_with_nested_types_keep_their_name():
    blocks = rst_blocks("Args:\n    inputs (dict[str, Tensor] (optional)): the inputs.\n        More.\n"
                        "    **kwargs: passed on.")
    assert [(b.label, b.text) for b in blocks[1:]] == [
        ("inputs", " (dict[str, Tensor] (optional)): the inputs. More."), ("**kwargs", ": passed on.")]
