import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
accum_steps = 4  # 梯度累积步数
optimizer.zero_grad()
for step in range(8):
    x = torch.randn(2, 4)
    loss = model(x).pow(2).mean() / accum_steps
    loss.backward()  # 梯度会累加到 .grad
    if (step + 1) % accum_steps == 0:
        optimizer.step()
        optimizer.zero_grad()
        print(f"step {step + 1}: updated")
