"""is_leaf: created tensors are leaves; computed ones are not and keep no .grad unless retain_grad()."""
import torch

x = torch.tensor(3.0, requires_grad=True)  # 叶子节点 (leaf)
y = x * 2  # 非叶子节点 (non-leaf)
z = y * y
y.retain_grad()  # 让非叶子节点也保留 .grad
w = x + 1  # another non-leaf, no retain_grad()
(z + w).backward()

print("x.is_leaf:", x.is_leaf, "y.is_leaf:", y.is_leaf)
print("x.grad:", x.grad, "y.grad:", y.grad, "w.grad:", w.grad)
assert x.is_leaf and not y.is_leaf and not w.is_leaf
assert x.grad.item() == 25.0  # d(4x^2 + x + 1)/dx = 8x + 1 = 25
assert y.grad.item() == 12.0  # dz/dy = 2y = 12
assert w.grad is None  # non-leaf without retain_grad(): .grad stays None
assert torch.tensor(1.0).is_leaf  # requires_grad=False tensors are leaves too
