import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 3), nn.Sigmoid(), nn.Linear(3, 1))
net(torch.randn(5, 3)).mean().backward()
grad_norms = {name: p.grad.norm().item() for name, p in net.named_parameters()}
for name, norm in grad_norms.items():
    print(f"{name:10s} | grad norm: {norm:.4f}")
