import torch

w = torch.tensor(0.0, requires_grad=True)
lr = 0.1
for step in range(5):
    loss = (w - 3) ** 2
    loss.backward()
    # 手动更新参数，需要放在 no_grad 里
    with torch.no_grad():
        w -= lr * w.grad
    w.grad.zero_()
    print(step, w.item())
print("final w:", w)  # 越来越接近 3
