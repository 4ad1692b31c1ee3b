import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    a += 1  # leaf variable 不能原地修改
except RuntimeError as e:
    print("Error:", e)
with torch.no_grad():
    a += 1  # 在 no_grad 下可以
print(a)  # tensor([2., 3.], requires_grad=True)
