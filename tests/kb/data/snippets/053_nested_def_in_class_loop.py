import torch


class GradTracker:
    def __init__(self):
        self.history = []

    def track(self, tensor, tag):
        def _hook(grad):
            self.history.append((tag, grad.clone()))
        tensor.register_hook(_hook)
        return tensor

    def report(self):
        for tag, g in self.history:
            print(tag, "->", g)


tracker = GradTracker()
x = torch.tensor([1.0, -1.0], requires_grad=True)
h = tracker.track(x * 3, "h")
out = tracker.track(h.relu().sum(), "out")
out.backward()
tracker.report()
print(x.grad)  # tensor([3., 0.])
