import torch

x = torch.tensor(1.5, requires_grad=True)
y = torch.exp(x) * torch.cos(x)
y.backward()
print(f"x = {x.item()}, y = {y.item():.4f}")
print(f"dy/dx = {x.grad.item():.4f}")  # e^x (cos x - sin x)
print(f"{'grad_fn':>8}: {y.grad_fn}")
