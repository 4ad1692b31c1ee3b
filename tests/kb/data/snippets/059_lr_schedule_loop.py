import torch

torch.manual_seed(0)
w = torch.nn.Parameter(torch.randn(2))
opt = torch.optim.SGD([w], lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
for epoch in range(6):
    opt.zero_grad()
    loss = (w ** 2).sum()
    loss.backward()
    opt.step()
    scheduler.step()
    print(
        "epoch:", epoch,
        "lr:", scheduler.get_last_lr()[0],
        "loss:", round(loss.item(), 4),
    )
