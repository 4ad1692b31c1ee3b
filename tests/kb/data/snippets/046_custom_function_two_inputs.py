import torch
from torch.autograd import Function


class MulAdd(Function):
    # 计算 a * b + b，反向传播需要返回两个输入的梯度
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b + b

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_tensors
        grad_a = grad_out * b
        grad_b = grad_out * (a + 1)
        return grad_a, grad_b


a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(5.0, requires_grad=True)
MulAdd.apply(a, b).backward()
print(a.grad, b.grad)  # tensor(5.) tensor(3.)
print(torch.autograd.gradcheck(MulAdd.apply, (a.double(), b.double())))  # True
