"""torch.gather: pick elements along a dimension by index; gradients flow back to the picked ones."""
import torch

b = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
index = torch.tensor([[2, 0], [1, 1]])
rows = torch.gather(b, 1, index)  # dim=1: 每行按索引取列
print(rows)  # tensor([[3., 1.], [5., 5.]])
assert rows.tolist() == [[3.0, 1.0], [5.0, 5.0]]

cols = torch.gather(b, 0, torch.tensor([[1, 0, 1]]))  # dim=0: 每列按索引取行
assert cols.tolist() == [[4.0, 2.0, 6.0]]

rows.sum().backward()
print(b.grad)  # 被取到几次, 梯度就是几
assert b.grad.tolist() == [[1.0, 0.0, 1.0], [0.0, 2.0, 0.0]]
