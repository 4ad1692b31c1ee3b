import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(64, 2)
Y = (X[:, 0] > X[:, 1]).float().unsqueeze(1)
model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
for epoch in range(5):
    total = 0.0
    for i in range(0, 64, 16):
        xb, yb = X[i:i + 16], Y[i:i + 16]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print("epoch %d, loss: %.4f" % (epoch, total / 4))
with torch.no_grad():
    acc = ((model(X) > 0).float() == Y).float().mean()
print("acc:", acc.item())
