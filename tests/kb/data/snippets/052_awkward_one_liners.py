import torch
x = torch.tensor(2.0, requires_grad=True); y = x * x
y.backward(); print(x.grad)  # tensor(4.)
if x.grad is not None: print("ok")
for k in range(2): print(k, x.grad * k)
