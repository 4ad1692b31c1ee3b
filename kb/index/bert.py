"""A small BERT sentence encoder in plain torch: the fast path for sentence-transformers BERT models.

Importing sentence-transformers costs seconds before the first answer; a BERT with mean pooling
(all-MiniLM-L6-v2 and its kin) needs only torch, `tokenizers` and `safetensors`. Models of any
other shape go through sentence-transformers (kb.index.embed decides).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def supports(path: Path) -> bool:
    """Whether a model folder is a BERT + mean pooling (+ normalize) sentence-transformers model."""
    try:
        config = json.loads((path / "config.json").read_text())
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((path / "modules.json").read_text())]
        pooling = json.loads((path / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError):
        return False
    return (config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and modules[:2] == ["Transformer", "Pooling"] and pooling.get("pooling_mode_mean_tokens")
            and not any(v for k, v in pooling.items()
                        if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens")
            and (path / "model.safetensors").exists() and (path / "tokenizer.json").exists())


class BertEncoder:
    """BERT forward pass, mean pooling and L2 normalisation, from a model folder."""

    def __init__(self, path: Path, *, max_tokens: int | None = None) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        self.config = json.loads((path / "config.json").read_text())
        max_len = max_tokens or json.loads((path / "sentence_bert_config.json").read_text()).get("max_seq_length", 256)
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_len)
        self.tokenizer.enable_padding(pad_id=self.config.get("pad_token_id", 0))
        weights = load_file(str(path / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.float() for k, v in weights.items()}
        self.torch = torch
        self.unk_token = "[UNK]"

    def dimension(self) -> int:
        """The embedding size."""
        return int(self.config["hidden_size"])

    def tokenize(self, text: str) -> list[str]:
        """Word pieces of a text, without the special tokens."""
        return self.tokenizer.encode(text, add_special_tokens=False).tokens

    def _layer_norm(self, x, name: str):
        w = self.w
        return self.torch.nn.functional.layer_norm(
            x, x.shape[-1:], w[f"{name}.weight"], w[f"{name}.bias"], self.config["layer_norm_eps"])

    def _linear(self, x, name: str):
        return self.torch.nn.functional.linear(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"])

    def _layer(self, x, mask, i: int):
        F, heads = self.torch.nn.functional, self.config["num_attention_heads"]
        p = f"encoder.layer.{i}"
        b, n, d = x.shape
        split = lambda t: t.view(b, n, heads, d // heads).transpose(1, 2)  # noqa: E731
        q, k, v = (split(self._linear(x, f"{p}.attention.self.{m}")) for m in ("query", "key", "value"))
        attn = F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, n, d)
        x = self._layer_norm(x + self._linear(attn, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm")
        hidden = F.gelu(self._linear(x, f"{p}.intermediate.dense"))
        return self._layer_norm(x + self._linear(hidden, f"{p}.output.dense"), f"{p}.output.LayerNorm")

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length sentence embeddings, one row per text."""
        torch = self.torch
        batch = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in batch])
        keep = torch.tensor([e.attention_mask for e in batch], dtype=torch.bool)
        with torch.inference_mode():
            positions = torch.arange(ids.shape[1]).unsqueeze(0)
            x = (self.w["embeddings.word_embeddings.weight"][ids]
                 + self.w["embeddings.position_embeddings.weight"][positions]
                 + self.w["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)])
            x = self._layer_norm(x, "embeddings.LayerNorm")
            mask = keep[:, None, None, :]
            for i in range(self.config["num_hidden_layers"]):
                x = self._layer(x, mask, i)
            weights = keep.unsqueeze(-1).float()
            pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1).numpy().astype(np.float32)
