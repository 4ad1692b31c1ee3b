import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.Linear(3, 2)
grads = {}

def save_grad(name):
    def hook(grad):
        grads[name] = grad
    return hook

x = torch.randn(1, 3, requires_grad=True)
h = layer(x)
h.register_hook(save_grad("h"))
h.sum().backward()
print(grads["h"])  # tensor([[1., 1.]])
