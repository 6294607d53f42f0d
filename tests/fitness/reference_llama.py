#!/usr/bin/python3
"""Independent reference for the Llama / Mistral / Qwen2 decoder, written from the
architecture's equations in float64 with torch 1.13 (no transformers): per-head attention
loops, rotary embeddings as explicit pair rotations, Meta's llama3 frequency scaling loop.

usage: reference_llama.py MODEL_DIR REQUEST.json OUT_DIR
REQUEST: {"forward": {"ids": [[...]], "mask": [[...]]},
          "generate": {"prompts": [[...]], "max_new_tokens": N, "stop_ids": [...]},
          "loglikelihood": [[[context ids], [continuation ids]], ...]}   (each part optional)
OUT_DIR/logits.f32: the forward logits, float32 little endian, row-major [B, T, V]
OUT_DIR/result.json: {"logits_shape", "generations", "loglikelihoods"}
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[base + begin:base + end]
        if info["dtype"] == "F32":
            arr = np.frombuffer(raw, dtype="<f4").astype(np.float64)
        elif info["dtype"] == "F16":
            arr = np.frombuffer(raw, dtype="<f2").astype(np.float64)
        elif info["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            arr = bits.view(np.float32).astype(np.float64)
        else:
            raise ValueError("unsupported dtype " + info["dtype"])
        tensors[name] = torch.from_numpy(arr.copy()).reshape(info["shape"])
    return tensors


def load(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    weights = {}
    for name in sorted(os.listdir(model_dir)):
        if name.endswith(".safetensors"):
            weights.update(read_safetensors(os.path.join(model_dir, name)))
    return cfg, weights


def rope_frequencies(cfg, head_dim):
    theta = cfg.get("rope_theta", 10000.0)
    freqs = [1.0 / theta ** (2 * i / head_dim) for i in range(head_dim // 2)]
    scaling = cfg.get("rope_scaling")
    if scaling and scaling.get("rope_type", scaling.get("type")) == "llama3":
        factor = scaling["factor"]
        low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        scaled = []
        for freq in freqs:  # Meta's apply_scaling
            wavelen = 2 * math.pi / freq
            if wavelen < high_wavelen:
                scaled.append(freq)
            elif wavelen > low_wavelen:
                scaled.append(freq / factor)
            else:
                smooth = (old / wavelen - low) / (high - low)
                scaled.append((1 - smooth) * freq / factor + smooth * freq)
        freqs = scaled
    return torch.tensor(freqs, dtype=torch.float64)


class Reference:
    def __init__(self, model_dir):
        self.cfg, self.w = load(model_dir)
        c = self.cfg
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads", self.heads)
        self.head_dim = c.get("head_dim", c["hidden_size"] // self.heads)
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.freqs = rope_frequencies(c, self.head_dim)
        self.window = c.get("sliding_window") if c["architectures"][0] == "MistralForCausalLM" else None
        self.lm_head = self.w["model.embed_tokens.weight"] if c.get("tie_word_embeddings") else self.w["lm_head.weight"]

    def linear(self, x, name):
        y = x @ self.w[name + ".weight"].T
        if name + ".bias" in self.w:
            y = y + self.w[name + ".bias"]
        return y

    def norm(self, x, name):
        rms = torch.sqrt((x * x).mean(-1, keepdim=True) + self.eps)
        return x / rms * self.w[name]

    def rotate(self, x, positions):
        # x [T, D]: the pair (x[i], x[i + D/2]) turns by angle position * freq[i].
        half = self.head_dim // 2
        angle = positions[:, None] * self.freqs[None, :]
        c, s = torch.cos(angle), torch.sin(angle)
        a, b = x[:, :half], x[:, half:]
        return torch.cat([a * c - b * s, b * c + a * s], dim=-1)

    def forward_row(self, ids, mask):
        """One sequence: ids [T], mask [T] -> logits [T, V]."""
        T = len(ids)
        positions = torch.tensor([float(sum(mask[:t])) for t in range(T)], dtype=torch.float64)
        h = self.w["model.embed_tokens.weight"][torch.tensor(ids)]
        group = self.heads // self.kv_heads
        D = self.head_dim
        for layer in range(self.cfg["num_hidden_layers"]):
            p = "model.layers.%d." % layer
            x = self.norm(h, p + "input_layernorm.weight")
            q = self.linear(x, p + "self_attn.q_proj")
            k = self.linear(x, p + "self_attn.k_proj")
            v = self.linear(x, p + "self_attn.v_proj")
            out = torch.zeros(T, self.heads * D, dtype=torch.float64)
            for head in range(self.heads):
                kvh = head // group
                qh = self.rotate(q[:, head * D:(head + 1) * D], positions)
                kh = self.rotate(k[:, kvh * D:(kvh + 1) * D], positions)
                vh = v[:, kvh * D:(kvh + 1) * D]
                for i in range(T):
                    keys = [j for j in range(i + 1) if mask[j] and (self.window is None or i - j < self.window)]
                    if not keys:
                        continue
                    scores = torch.stack([qh[i] @ kh[j] for j in keys]) / math.sqrt(D)
                    weights = torch.softmax(scores, dim=0)
                    out[i, head * D:(head + 1) * D] = sum(wt * vh[j] for wt, j in zip(weights, keys))
            h = h + self.linear(out, p + "self_attn.o_proj")
            x = self.norm(h, p + "post_attention_layernorm.weight")
            gate = self.linear(x, p + "mlp.gate_proj")
            h = h + self.linear(gate * torch.sigmoid(gate) * self.linear(x, p + "mlp.up_proj"), p + "mlp.down_proj")
        return self.norm(h, "model.norm.weight") @ self.lm_head.T

    def generate(self, prompt, max_new, stop_ids):
        seq, out = list(prompt), []
        for _ in range(max_new):
            token = int(torch.argmax(self.forward_row(seq, [1] * len(seq))[-1]))
            if token in stop_ids:
                break
            out.append(token)
            seq.append(token)
        return out

    def loglikelihood(self, context, continuation):
        seq = context + continuation[:-1]
        logp = torch.log_softmax(self.forward_row(seq, [1] * len(seq)), dim=-1)
        first = len(context) - 1
        return float(sum(logp[first + i, t] for i, t in enumerate(continuation)))


def main():
    model_dir, request_path, out_dir = sys.argv[1:4]
    with open(request_path) as f:
        request = json.load(f)
    ref = Reference(model_dir)
    result = {}
    if "forward" in request:
        rows = [ref.forward_row(ids, mask) for ids, mask in zip(request["forward"]["ids"], request["forward"]["mask"])]
        logits = torch.stack(rows)
        result["logits_shape"] = list(logits.shape)
        with open(os.path.join(out_dir, "logits.f32"), "wb") as f:
            f.write(logits.to(torch.float32).numpy().astype("<f4").tobytes())
    if "generate" in request:
        g = request["generate"]
        result["generations"] = [ref.generate(p, g["max_new_tokens"], g.get("stop_ids", [])) for p in g["prompts"]]
    if "loglikelihood" in request:
        result["loglikelihoods"] = [ref.loglikelihood(c, t) for c, t in request["loglikelihood"]]
    with open(os.path.join(out_dir, "result.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
