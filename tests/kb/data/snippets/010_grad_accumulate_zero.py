import torch

x = torch.ones(2, requires_grad=True)
for i in range(3):
    y = (x * 3).sum()
    y.backward()
    print(i, x.grad)  # grad accumulates: 3, 6, 9
x.grad.zero_()  # 梯度清零
print(x.grad)  # tensor([0., 0.])
