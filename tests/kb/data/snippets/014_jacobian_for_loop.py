import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2 + torch.sin(x)
jacobian = torch.zeros(3, 3)
# 逐行计算雅可比矩阵
for i in range(3):
    grad_output = torch.zeros(3)
    grad_output[i] = 1.0
    g, = torch.autograd.grad(y, x, grad_outputs=grad_output, retain_graph=True)
    jacobian[i] = g
print(jacobian)
