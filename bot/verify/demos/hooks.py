"""register_hook: a tensor hook can rewrite the gradient flowing through it, here doubling it."""
import torch

x = torch.tensor(3.0, requires_grad=True)
seen = []
handle = x.register_hook(lambda g: seen.append(g.item()) or g * 2)  # 钩子: 梯度翻倍
y = x ** 2
y.backward()
print("hook saw:", seen, "x.grad:", x.grad)
assert seen == [6.0]  # original dy/dx = 2x = 6
assert x.grad.item() == 12.0  # doubled by the hook

handle.remove()  # 移除钩子后恢复正常
x.grad = None
(x ** 2).backward()
assert x.grad.item() == 6.0
