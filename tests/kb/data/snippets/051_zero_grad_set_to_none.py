import torch

torch.manual_seed(0)
model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
model(torch.randn(1, 2)).sum().backward()
print(model.weight.grad)  # 有梯度
opt.zero_grad(set_to_none=True)
print(model.weight.grad)  # None
model(torch.randn(1, 2)).sum().backward()
opt.zero_grad(set_to_none=False)
print(model.weight.grad)  # tensor([[0., 0.]])
