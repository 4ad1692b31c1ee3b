import torch

def piecewise(x):
    if x.item() < 0:
        return -x
    elif x.item() < 1:
        return x ** 2
    else:
        return 2 * x - 1

for v in [-2.0, 0.5, 3.0]:
    x = torch.tensor(v, requires_grad=True)
    piecewise(x).backward()
    print(v, x.grad.item())  # -1.0, 1.0, 2.0
