import torch

# 链式法则: z = sin(y), y = x^2
x = torch.tensor(1.0, requires_grad=True)
y = x ** 2
z = torch.sin(y)
z.backward()
print(x.grad)  # 2x * cos(x^2) = 2 * cos(1) ≈ 1.0806
print(2 * torch.cos(torch.tensor(1.0)))  # 验证
