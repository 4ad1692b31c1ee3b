import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.retain_grad()  # 保留中间变量的梯度
z = (y ** 2).sum()
z.backward()
print(y.grad)  # tensor([ 4.,  8., 12.])
print(x.grad)  # tensor([ 8., 16., 24.])
