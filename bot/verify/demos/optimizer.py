"""Optimizer: parameter groups with their own learning rates; step() applies the gradients."""
import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 1))
# 第一层单独的学习率 1e-2, 其他层用默认的 1e-1
optimizer = torch.optim.SGD([
    {"params": model[0].parameters(), "lr": 1e-2},
    {"params": model[1].parameters()},
], lr=1e-1)
print([group["lr"] for group in optimizer.param_groups])  # [0.01, 0.1]

w = model[1].weight.detach().clone()
loss = model(torch.ones(2, 3)).pow(2).mean()
optimizer.zero_grad()
loss.backward()
optimizer.step()
# SGD: w <- w - lr * grad
assert torch.allclose(model[1].weight, w - 0.1 * model[1].weight.grad)
for group in optimizer.param_groups:  # 动态调整学习率
    group["lr"] *= 0.5
assert [g["lr"] for g in optimizer.param_groups] == [0.005, 0.05]
