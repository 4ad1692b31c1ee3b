import torch

def print_grad(grad):
    print("hook got grad:", grad)
    return grad * 2

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
h = y.register_hook(print_grad)
y.sum().backward()
print(x.grad)  # tensor([6., 6.])，因为 hook 把梯度乘了 2
h.remove()
