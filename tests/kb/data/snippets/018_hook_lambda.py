import torch

x = torch.tensor(2.0, requires_grad=True)
# 用 lambda 注册 hook，修改梯度
x.register_hook(lambda grad: grad * 10)
y = x ** 2
y.backward()
print(x.grad)  # tensor(40.)
