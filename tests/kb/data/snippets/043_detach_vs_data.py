import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out = a.sigmoid()
c = out.detach()
c.zero_()  # 修改 c 也会修改 out
print(out)  # tensor([0., 0., 0.], grad_fn=<SigmoidBackward0>)
try:
    out.sum().backward()  # 报错：版本号不一致
except RuntimeError as e:
    print("detach:", type(e).__name__)
b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
out2 = b.sigmoid()
out2.data.zero_()  # .data 不会被 autograd 追踪，梯度悄悄算错
out2.sum().backward()
print(b.grad)  # tensor([0., 0., 0.])
