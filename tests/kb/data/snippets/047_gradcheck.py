import torch
from torch.autograd import gradcheck

torch.manual_seed(0)
inputs = (torch.randn(4, dtype=torch.double, requires_grad=True),)
test = gradcheck(torch.sigmoid, inputs, eps=1e-6, atol=1e-4)
print("gradcheck:", test)  # gradcheck: True
