import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 2
# detach 之后 u 被当作常数
u = y.detach()
z = u * x
z.backward()
print(x.grad)  # tensor(4.) 而不是 12
print(u.requires_grad)  # False
