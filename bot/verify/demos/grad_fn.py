"""grad_fn: every computed tensor remembers the op that made it; leaves have none."""
import torch

a = torch.tensor(1.0, requires_grad=True)  # 叶子张量 (leaf): 用户创建
b = torch.tensor(2.0, requires_grad=True)
c = a + b  # 加法 -> AddBackward0
d = c * 2  # 乘法 -> MulBackward0

print("a.grad_fn:", a.grad_fn)
print("c.grad_fn:", type(c.grad_fn).__name__)
print("d.grad_fn:", type(d.grad_fn).__name__)
assert a.grad_fn is None and b.grad_fn is None
assert type(c.grad_fn).__name__ == "AddBackward0"
assert type(d.grad_fn).__name__ == "MulBackward0"
# next_functions links d's node back to c's node (the graph edges)
assert d.grad_fn.next_functions[0][0] is c.grad_fn
