"""retain_graph: a second backward needs the graph kept; gradients accumulate."""
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x ** 2
y.backward()
try:
    y.backward()  # 第二次反向传播: 计算图已被释放
except RuntimeError as e:
    print("RuntimeError:", str(e).splitlines()[0])
    assert "backward through the graph a second time" in str(e)

x.grad = None
y = x ** 2
y.backward(retain_graph=True)  # 保留计算图
y.backward()  # works now
print("x.grad after two backward calls:", x.grad)
assert x.grad.item() == 8.0  # 4 + 4: 梯度累加 (accumulates)
