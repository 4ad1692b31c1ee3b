import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
# y 不是标量，需要传入 gradient 参数
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)  # tensor([2.0000e-01, 2.0000e+00, 2.0000e-04])
