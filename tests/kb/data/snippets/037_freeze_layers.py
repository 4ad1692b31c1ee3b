import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
# 冻结第一层参数
for param in model[0].parameters():
    param.requires_grad = False
out = model(torch.randn(3, 4)).sum()
out.backward()
print(model[0].weight.grad)  # None
print(model[2].weight.grad is not None)  # True
