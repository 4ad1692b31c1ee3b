import torch
from torch.autograd.functional import vjp, jvp

def f(x):
    return x ** 2 + x.sum()

x = torch.tensor([1.0, 2.0, 3.0])
v = torch.ones(3)
out, vjp_res = vjp(f, x, v)
print(vjp_res)  # tensor([5., 7., 9.])
out, jvp_res = jvp(f, (x,), (v,))
print(jvp_res)  # tensor([5., 7., 9.])
