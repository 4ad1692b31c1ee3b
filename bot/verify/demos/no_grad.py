"""torch.no_grad(): results computed inside do not require grad and build no graph."""
import torch

x = torch.tensor(2.0, requires_grad=True)
with torch.no_grad():  # 推理时关闭梯度追踪
    y = x * 3
print("inside no_grad: y.requires_grad =", y.requires_grad, "y.grad_fn =", y.grad_fn)
assert y.requires_grad is False and y.grad_fn is None

z = x * 3  # outside: tracked again
print("outside: z.requires_grad =", z.requires_grad)
assert z.requires_grad is True
assert torch.is_grad_enabled()
