import torch

a = torch.ones(2, 2)
print(a.requires_grad)  # False
a.requires_grad_(True)
print(a.requires_grad)  # True
b = a * 2
print(b.requires_grad)  # True，因为 a 需要梯度
c = torch.zeros(2, 2, requires_grad=False)
print((b + c).requires_grad)  # True
