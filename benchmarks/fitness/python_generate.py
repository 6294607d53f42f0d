#!/usr/bin/python3
"""The Python peer of bench_generation: a vectorised fp32 Llama forward with a preallocated
KV cache in PyTorch (as transformers runs it: batched matmuls, repeat_kv, fp32 softmax),
greedy decoding, timed the same way.

usage: python_generate.py MODEL_DIR THREADS BATCH PROMPT_TOKENS NEW_TOKENS REPEATS
prints one JSON line: {"prefill_s": [...], "decode_s": [...], "peak_rss_kib": N}
"""
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np
import torch


def read_weights(model_dir):
    weights = {}
    for name in sorted(os.listdir(model_dir)):
        if not name.endswith(".safetensors"):
            continue
        with open(os.path.join(model_dir, name), "rb") as f:
            data = f.read()
        (n,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + n])
        for key, info in header.items():
            if key == "__metadata__":
                continue
            begin, end = info["data_offsets"]
            raw = data[8 + n + begin:8 + n + end]
            if info["dtype"] == "BF16":
                arr = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
            elif info["dtype"] == "F16":
                arr = np.frombuffer(raw, dtype="<f2").astype(np.float32)
            else:
                arr = np.frombuffer(raw, dtype="<f4")
            weights[key] = torch.from_numpy(arr.copy()).reshape(info["shape"])
    return weights


class Model:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            c = json.load(f)
        self.c = c
        self.w = read_weights(model_dir)
        self.layers = c["num_hidden_layers"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads", self.heads)
        self.dim = c.get("head_dim") or c["hidden_size"] // self.heads
        self.eps = c.get("rms_norm_eps", 1e-6)
        theta = c.get("rope_theta", 10000.0)
        self.inv_freq = 1.0 / theta ** (torch.arange(0, self.dim, 2).float() / self.dim)
        self.lm_head = self.w["model.embed_tokens.weight"] if c.get("tie_word_embeddings") else self.w["lm_head.weight"]

    def lin(self, x, name):
        return torch.nn.functional.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    def norm(self, x, name):
        return self.w[name] * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def new_cache(self, batch, capacity):
        shape = (batch, self.kv_heads, capacity, self.dim)
        return [[torch.zeros(shape), torch.zeros(shape)] for _ in range(self.layers)], [0]

    def step(self, ids, mask, cache):
        """ids [B,T] after the cache; mask [B, past+T]. Returns last-position logits [B,V]."""
        layers, length = cache
        past, (B, T) = length[0], ids.shape
        pos = (mask.cumsum(1) - 1).clamp(min=0)[:, past:].float()
        freqs = pos[..., None] * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        S = past + T
        q_idx = torch.arange(past, S)[:, None]
        k_idx = torch.arange(S)[None, :]
        allowed = (k_idx <= q_idx)[None] & mask[:, None, :].bool()
        bias = torch.zeros(B, 1, T, S).masked_fill(~allowed[:, None], torch.finfo(torch.float32).min)
        h = self.w["model.embed_tokens.weight"][ids]
        rep = self.heads // self.kv_heads
        for i in range(self.layers):
            p = "model.layers.%d." % i
            x = self.norm(h, p + "input_layernorm.weight")
            q = self.lin(x, p + "self_attn.q_proj").view(B, T, self.heads, self.dim).transpose(1, 2)
            k = self.lin(x, p + "self_attn.k_proj").view(B, T, self.kv_heads, self.dim).transpose(1, 2)
            v = self.lin(x, p + "self_attn.v_proj").view(B, T, self.kv_heads, self.dim).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            layers[i][0][:, :, past:S] = k
            layers[i][1][:, :, past:S] = v
            keys = layers[i][0][:, :, :S].repeat_interleave(rep, dim=1)
            values = layers[i][1][:, :, :S].repeat_interleave(rep, dim=1)
            scores = q @ keys.transpose(2, 3) / math.sqrt(self.dim) + bias
            out = (torch.softmax(scores, dim=-1) @ values).transpose(1, 2).reshape(B, T, -1)
            h = h + self.lin(out, p + "self_attn.o_proj")
            x = self.norm(h, p + "post_attention_layernorm.weight")
            h = h + self.lin(torch.nn.functional.silu(self.lin(x, p + "mlp.gate_proj")) * self.lin(x, p + "mlp.up_proj"),
                             p + "mlp.down_proj")
        length[0] = S
        return self.norm(h[:, -1], "model.norm.weight") @ self.lm_head.T


def main():
    model_dir = sys.argv[1]
    threads, batch, prompt_tokens, new_tokens, repeats = map(int, sys.argv[2:7])
    torch.set_num_threads(threads)
    model = Model(model_dir)
    vocab = model.lm_head.shape[0]
    ids = (torch.arange(batch * prompt_tokens).reshape(batch, prompt_tokens) * 7919 + 3) % vocab
    prefill, decode = [], []
    with torch.inference_mode():
        for _ in range(repeats):
            cache = model.new_cache(batch, prompt_tokens + new_tokens)
            mask = torch.ones(batch, prompt_tokens, dtype=torch.long)
            start = time.perf_counter()
            logits = model.step(ids, mask, cache)
            prefill.append(time.perf_counter() - start)
            start = time.perf_counter()
            for _ in range(new_tokens):
                nxt = logits.argmax(-1)
                mask = torch.cat((mask, torch.ones(batch, 1, dtype=torch.long)), dim=1)
                logits = model.step(nxt[:, None], mask, cache)
            decode.append(time.perf_counter() - start)
    print(json.dumps({"prefill_s": prefill, "decode_s": decode,
                      "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
