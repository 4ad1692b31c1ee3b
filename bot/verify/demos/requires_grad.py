"""requires_grad_(): switch tracking on in place; only floating-point (and complex) tensors can require grad."""
import torch

w = torch.tensor([1.0, 2.0])
print("before:", w.requires_grad)
w.requires_grad_()  # 原地开启梯度追踪
print("after:", w.requires_grad)
assert w.requires_grad is True

try:
    torch.tensor([1, 2]).requires_grad_()  # 整数张量不能求梯度
except RuntimeError as e:
    print("RuntimeError:", e)
    assert "floating point" in str(e)
else:
    raise AssertionError("integer tensor accepted requires_grad")
