import torch

x = torch.tensor(1.0, requires_grad=True)
with torch.no_grad():
    with torch.enable_grad():
        y = x * 2
    z = x * 2
print(y.requires_grad)  # True
print(z.requires_grad)  # False
