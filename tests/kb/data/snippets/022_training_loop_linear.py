import torch

torch.manual_seed(42)
# 构造数据 y = 2x + 1
x = torch.linspace(0, 1, 20).unsqueeze(1)
y = 2 * x + 1
model = torch.nn.Linear(1, 1)
criterion = torch.nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(100):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch}: loss = {loss.item():.4f}")
print(model.weight.data, model.bias.data)
