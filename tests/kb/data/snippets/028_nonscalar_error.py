import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x * 2
try:
    y.backward()
except RuntimeError as err:
    # grad can be implicitly created only for scalar outputs
    print("error: %s" % err)
y.backward(torch.ones_like(y))
print(x.grad)  # tensor([2., 2., 2.])
