import torch

xs = [torch.tensor(float(i), requires_grad=True) for i in range(1, 5)]
total = sum([x ** 2 for x in xs])
total.backward()
grads = [x.grad.item() for x in xs]
print(grads)  # [2.0, 4.0, 6.0, 8.0]
