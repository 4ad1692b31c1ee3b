import torch

@torch.no_grad()
def evaluate(w, x):
    return (w * x).sum()

w = torch.tensor([1.0, 2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])
out = evaluate(w, x)
print(out, out.requires_grad)  # tensor(11.) False
