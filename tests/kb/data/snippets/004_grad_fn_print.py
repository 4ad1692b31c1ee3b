import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a + 2
c = b * b * 3
out = c.mean()
print(a.grad_fn)  # None，叶子节点没有 grad_fn
print(b.grad_fn)  # <AddBackward0 object at ...>
print(c.grad_fn)  # <MulBackward0 object at ...>
print(out.grad_fn)  # <MeanBackward0 object at ...>
out.backward()
print(a.grad)  # tensor([ 9., 12.])
