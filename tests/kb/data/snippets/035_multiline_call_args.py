import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 2).sum()
grads = torch.autograd.grad(
    outputs=y,
    inputs=x,
    create_graph=True,
    retain_graph=True,
)
print(grads[0])  # tensor([2., 4.], grad_fn=<MulBackward0>)
