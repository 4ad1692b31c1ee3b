import torch

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
c = b * 2
b.add_(1)  # in-place 修改了 backward 需要的值
try:
    c.sum().backward()
    print("no error?")
except RuntimeError as e:
    msg = str(e)
    print("in-place error:", "modified by an inplace operation" in msg)
else:
    print("backward succeeded")
