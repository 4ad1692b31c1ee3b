"""detach(): same storage, cut from the graph, requires_grad False."""
import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
z = y.detach()  # 分离: 共享存储, 不再追踪梯度

print("z.requires_grad:", z.requires_grad, "z.grad_fn:", z.grad_fn)
assert z.requires_grad is False and z.grad_fn is None
assert z.data_ptr() == y.data_ptr()  # shares storage with y

loss = (y * z).sum()  # gradient flows only through y, not through z
loss.backward()
print("x.grad:", x.grad)
assert x.grad.tolist() == [9.0, 18.0]  # d(y*z)/dx = 3*z = [9, 18]

z[0] = 100.0  # in-place change on z is visible in y
assert y[0].item() == 100.0
