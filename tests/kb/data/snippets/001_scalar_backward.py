import torch

# 定义张量
x = torch.tensor([2.0], requires_grad=True)
y = torch.tensor([3.0], requires_grad=True)
z = x * y
# 计算梯度
z.backward()
# 输出梯度
print(x.grad)  # 输出张量 [3.0]
print(y.grad)  # 输出张量 [2.0]
