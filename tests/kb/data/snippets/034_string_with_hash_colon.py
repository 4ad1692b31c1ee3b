import torch

x = torch.tensor(4.0, requires_grad=True)
loss = (x - 1) ** 2
loss.backward()
print("loss: #", loss.item())  # loss: # 9.0
print("grad # x:", x.grad)  # grad # x: tensor(6.)
print('note: "#" inside a string is not a comment')
