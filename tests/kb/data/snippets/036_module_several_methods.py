import torch
import torch.nn as nn


class TinyMLP(nn.Module):
    def __init__(self, in_dim, hidden, out_dim):
        super().__init__()
        self.l1 = nn.Linear(in_dim, hidden)
        self.l2 = nn.Linear(hidden, out_dim)

    def forward(self, x):
        return self.l2(torch.tanh(self.l1(x)))

    def num_params(self):
        return sum(p.numel() for p in self.parameters())

    def grad_norm(self):
        norms = [p.grad.norm() for p in self.parameters() if p.grad is not None]
        return torch.stack(norms).norm()


torch.manual_seed(0)
m = TinyMLP(3, 5, 2)
m(torch.randn(4, 3)).sum().backward()
print(m.num_params())  # 32
print(m.grad_norm())
