import torch

x = torch.tensor(2.0, requires_grad=True)
y = x * x
y.backward()
try:
    y.backward()  # 第二次会报错
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])
print(x.grad)  # tensor(4.)
