import torch

x = torch.linspace(-2, 2, 5, requires_grad=True)
s = torch.sigmoid(x)
s.backward(torch.ones_like(s))
analytic = s.detach() * (1 - s.detach())  # σ'(x) = σ(x)(1-σ(x))
print(x.grad)
print(analytic)
print("一致:", torch.allclose(x.grad, analytic))  # 一致: True
