import torch

torch.manual_seed(0)
W = torch.randn(2, 3, requires_grad=True)
x = torch.randn(3)
y = W @ x
loss = y.pow(2).sum()
loss.backward()
# dL/dW = 2 * y x^T
expected = 2 * torch.outer(y.detach(), x)
print(torch.allclose(W.grad, expected))  # True
