import torch

torch.manual_seed(0)
params = torch.randn(3, requires_grad=True)
target = torch.tensor([1.0, -1.0, 0.5])
opt = torch.optim.Adam([params], lr=0.1)
for it in range(50):
    opt.zero_grad()
    loss = ((params - target) ** 2).sum()
    loss.backward()
    opt.step()
print("loss:", loss.item())
print(params.detach())  # 接近 [1, -1, 0.5]
