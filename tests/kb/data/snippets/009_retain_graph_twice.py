import torch

x = torch.tensor(1.0, requires_grad=True)
y = x ** 3
# 第一次反向传播，保留计算图
y.backward(retain_graph=True)
print(x.grad)  # tensor(3.)
# 第二次反向传播，梯度会累加
y.backward()
print(x.grad)  # tensor(6.)
