import torch

a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
c = a * 3  # b 没有参与计算
c.backward()
for name, t in [("a", a), ("b", b)]:
    if t.grad is None:
        print(name, "grad is None")  # b 会走这里
    else:
        print(name, "grad =", t.grad)
