"""grad_fn: every computed tensor remembers the op that made it; leaves have none."""
import torch

p = torch.tensor(4.0, requires_grad=True)  # 叶子张量 (leaf): 用户创建
q = torch.tensor(0.5, requires_grad=True)
r = p * q  # 乘法 -> MulBackward0
t = r - 1  # 减法 -> SubBackward0

print("p.grad_fn:", p.grad_fn)
print("r.grad_fn:", type(r.grad_fn).__name__)
print("t.grad_fn:", type(t.grad_fn).__name__)
assert p.grad_fn is None and q.grad_fn is None
assert type(r.grad_fn).__name__ == "MulBackward0"
assert type(t.grad_fn).__name__ == "SubBackward0"
# next_functions links t's node back to r's node (the graph edges)
assert t.grad_fn.next_functions[0][0] is r.grad_fn
