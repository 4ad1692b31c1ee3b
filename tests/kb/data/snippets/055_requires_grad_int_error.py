import torch

try:
    x = torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as e:
    # Only Tensors of floating point dtype can require gradients
    print("错误:", e)
x = torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True)
(x * x).sum().backward()
print(x.grad)  # tensor([2., 4., 6.])
