import torch
import torch.nn as nn

torch.manual_seed(1)
model = nn.Linear(10, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.randn(16, 10) * 100
loss = model(x).pow(2).mean()
loss.backward()
# 梯度裁剪，防止梯度爆炸
total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
print("norm before clipping:", total_norm)
print("norm after clipping:", torch.norm(model.weight.grad))
optimizer.step()
