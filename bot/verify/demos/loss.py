"""Loss functions: BCEWithLogitsLoss is sigmoid + BCELoss in one numerically stable step."""
import torch
import torch.nn as nn

logits = torch.tensor([2.0, -1.0, 0.5], requires_grad=True)
target = torch.tensor([1.0, 0.0, 1.0])
fused = nn.BCEWithLogitsLoss()(logits, target)
manual = nn.BCELoss()(torch.sigmoid(logits), target)
print(fused, manual)
assert torch.allclose(fused, manual)

fused.backward()
print(logits.grad)  # d loss / d logits = (sigmoid(logits) - target) / n
assert torch.allclose(logits.grad, (torch.sigmoid(logits) - target).detach() / 3)
big = torch.tensor([100.0])  # 未归一化的大输入: 融合版本不会溢出
assert torch.isfinite(nn.BCEWithLogitsLoss()(big, torch.zeros(1)))
