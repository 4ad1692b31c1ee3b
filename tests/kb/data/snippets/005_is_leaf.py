import torch

# 判断是否为叶子节点
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.ones(3)
y = w * x
z = y.sum()
print("w is_leaf:", w.is_leaf)  # True
print("x is_leaf:", x.is_leaf)  # True
print("y is_leaf:", y.is_leaf)  # False
z.backward()
print(w.grad)  # tensor([1., 1., 1.])
print(y.grad)  # None (non-leaf, grad not retained)
