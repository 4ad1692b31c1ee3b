import torch

x = torch.tensor(3.0, requires_grad=True)
y = x ** 3
# 一阶导数，create_graph=True 才能继续求导
grad1 = torch.autograd.grad(y, x, create_graph=True)[0]
print(grad1)  # tensor(27., grad_fn=<MulBackward0>)
# 二阶导数
grad2 = torch.autograd.grad(grad1, x)[0]
print(grad2)  # tensor(18.)
