#!/usr/bin/python3
"""Independent reference for hallmark's merge methods, written from mergekit's formulas.

usage: reference_merge.py RECIPE.yaml OUT.safetensors [--seed N]

Reads a mergekit-format recipe (models form, no slices) whose models are folders with a single
model.safetensors, merges every tensor in fp32 with plain torch / numpy and writes the result
as F32 tensors. Random masks use the counter-based hash documented in docs/merging.md.
"""
import argparse
import json
import math
import os
import struct

import numpy as np
import torch
import yaml

# ---------------------------------------------------------------- safetensors (F32/F16/BF16)

def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(data[base + begin:base + end])
        dtype = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}[info["dtype"]]
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).float()
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        b = tensors[name].contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))

# ---------------------------------------------------------------- counter-based uniforms

M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix64_int(z):
    z &= M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for c in text.encode():
        h = ((h ^ c) * 0x100000001B3) & M64
    return h


def mask_stream(seed, tensor_name, model):
    return mix64_int(mix64_int(seed) ^ fnv1a64(tensor_name) ^ mix64_int(fnv1a64(model) + GOLDEN))


def uniforms(stream, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    with np.errstate(over="ignore"):
        z = np.uint64(stream) + (np.arange(n, dtype=np.uint64) + np.uint64(1)) * np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -24)
    return torch.from_numpy(u).reshape(shape)

# ---------------------------------------------------------------- parameters

GTA = {  # name: (sparsification, consensus, normalize, rescale)
    "task_arithmetic": (None, False, False, False),
    "ties": ("magnitude", True, True, False),
    "dare_ties": ("random", True, False, True),
    "dare_linear": ("random", False, False, True),
    "breadcrumbs": ("outliers", False, False, False),
    "breadcrumbs_ties": ("outliers", True, False, False),
    "della": ("della", True, True, True),
    "della_linear": ("della", False, False, True),
}


def evaluate(setting, name, t):
    if isinstance(setting, list):
        if setting and isinstance(setting[0], dict):
            for entry in setting:
                if "filter" not in entry or entry["filter"] in name:
                    return evaluate(entry["value"], name, t)
            return None
        if len(setting) == 1:
            return setting[0]
        scaled = (len(setting) - 1) * t
        i0 = int(math.floor(scaled))
        i1 = min(len(setting) - 1, i0 + 1)
        frac = scaled - i0
        return (1 - frac) * setting[min(i0, len(setting) - 1)] + frac * setting[i1]
    return setting


def param(levels, key, name, t, default):
    for level in levels:
        if level and key in level:
            v = evaluate(level[key], name, t)
            if v is not None:
                return v
    return default


def position(name, layers):
    parts = name.split(".")
    for i, p in enumerate(parts[:-1]):
        if p == "layers" and i + 1 < len(parts) and parts[i + 1].isdigit():
            return int(parts[i + 1]) / (layers - 1) if layers > 1 else 0.0
    return 0.0 if "embed" in name else 1.0

# ---------------------------------------------------------------- sparsification

def rescaled(delta, mask, mode, prob):
    masked = delta * mask
    if mode is None:
        return masked
    if mode == "density":
        return masked / prob
    before, after = delta.abs().sum(), masked.abs().sum()
    if before < 1e-7 or after < 1e-7:
        return masked
    return masked * (before / after)


def top_mask(mag, k):
    flat = mag.flatten()
    mask = torch.zeros_like(flat)
    order = torch.sort(flat, descending=True, stable=True).indices
    mask[order[:k]] = 1
    return mask.reshape(mag.shape)


def sparsify(kind, delta, p, stream, mode):
    density = p["density"]
    if density >= 1:
        return delta
    n = delta.numel()
    if kind == "magnitude":
        return rescaled(delta, top_mask(delta.abs(), int(density * n)), mode, density)
    if kind == "outliers":
        target, n_top = int(density * n), int(p["gamma"] * n)
        n_bot = n - target - n_top
        if n_bot < 0:
            n_top += n_bot
            n_bot = 0
        flat = delta.abs().flatten()
        order = torch.sort(flat, descending=True, stable=True).indices
        mask = torch.zeros_like(flat)
        mask[order[n_top:n - n_bot]] = 1
        return rescaled(delta, mask.reshape(delta.shape), mode, density)
    if kind == "random":
        mask = (uniforms(stream, list(delta.shape)) < density).float()
        return rescaled(delta, mask, mode, density)
    # della
    eps = p["epsilon"]
    if density <= 0:
        return torch.zeros_like(delta)
    rows = delta.unsqueeze(0) if delta.dim() < 2 else delta
    cols = rows.shape[1]
    if cols < 2:
        rank_norm = torch.full(rows.shape, 0.5)
    else:
        order = torch.sort(rows.abs(), dim=1, stable=True).indices
        ranks = order.argsort(dim=1).float() + 1
        lo = ranks.min(dim=1, keepdim=True).values
        hi = ranks.max(dim=1, keepdim=True).values
        rank_norm = ((ranks - lo) / (hi - lo)).clamp(0, 1)
    probs = (density - eps) + rank_norm * 2 * eps
    mask = (uniforms(stream, list(rows.shape)) < probs).float()
    return rescaled(rows, mask, mode, probs).reshape(delta.shape)

# ---------------------------------------------------------------- methods

def gta(method, base, models, g, name, seed):
    kind, consensus, _, _ = GTA[method]
    mode = None
    if g["rescale"]:
        mode = "density" if g["rescale_mode"] == "density" else "l1"
    deltas = []
    for ref, x, p in models:
        d = x - base
        if kind:
            d = sparsify(kind, d, p, mask_stream(seed, name, ref), mode)
        deltas.append(d)
    deltas = torch.stack(deltas)
    weights = torch.tensor([p["weight"] for _, _, p in models], dtype=torch.float32)
    weights = weights.reshape([-1] + [1] * base.dim())
    wd = deltas * weights
    if consensus:
        majority = (wd.sum(dim=0) >= 0).float() * 2 - 1
        mask = (wd.sign() == majority).float()
        mixed = (wd * mask).sum(dim=0)
        divisor = (weights * mask).sum(dim=0)
        divisor[divisor == 0] = 1
    else:
        mixed = wd.sum(dim=0)
        divisor = weights.sum(dim=0)
        divisor[divisor.abs() < 1e-8] = 1
    if g["normalize"]:
        mixed = mixed / divisor
    if g["lambda"] != 1:
        mixed = mixed * g["lambda"]
    return base + mixed


def slerp(t, v0, v1):
    a = v0.double().flatten()
    b = v1.double().flatten()
    na, nb = a.norm(), b.norm()
    a_n = a / na if na > 1e-8 else a
    b_n = b / nb if nb > 1e-8 else b
    dot = float((a_n * b_n).sum())
    if abs(dot) > 0.9995:
        return (1 - t) * v0 + t * v1
    theta = math.acos(dot)
    s0 = math.sin((1 - t) * theta) / math.sin(theta)
    s1 = math.sin(t * theta) / math.sin(theta)
    return s0 * v0 + s1 * v1


def nuslerp(t, v0, v1, row_wise, flatten):
    shape = v0.shape
    if flatten:
        v0, v1 = v0.reshape(-1), v1.reshape(-1)
    elif row_wise and v0.dim() > 1:
        v0, v1 = v0.transpose(0, -1), v1.transpose(0, -1)
    u0 = v0 / v0.norm(dim=-1, keepdim=True).clamp(min=1e-7)
    u1 = v1 / v1.norm(dim=-1, keepdim=True).clamp(min=1e-7)
    cos = (u0 * u1).sum(dim=-1, keepdim=True)
    theta = torch.acos(cos.clamp(-1, 1))
    s = torch.sin(theta)
    res = (torch.sin((1 - t) * theta) * v0 + torch.sin(t * theta) * v1) / s
    lerp = (1 - t) * v0 + t * v1
    res = torch.where(s.abs() < 1e-8, lerp, res)
    if not flatten and row_wise and res.dim() > 1:
        res = res.transpose(0, -1)
    return res.reshape(shape)


def model_stock(base, xs, filter_wise):
    shape = base.shape
    if filter_wise:
        w0 = base.unsqueeze(0) if base.dim() == 1 else base
        ws = [x.unsqueeze(0) if x.dim() == 1 else x for x in xs]
    else:
        w0, ws = base.reshape(-1), [x.reshape(-1) for x in xs]
    offsets = [w - w0 for w in ws]
    cosines = []
    for i in range(len(offsets)):
        for j in range(i + 1, len(offsets)):
            norms = offsets[i].norm(dim=-1) * offsets[j].norm(dim=-1)
            cosines.append(((offsets[i] * offsets[j]).sum(dim=-1) / norms.clamp(min=1e-6)).clamp(-1, 1))
    cos = torch.stack(cosines).mean(dim=0).unsqueeze(-1)
    n = len(ws)
    t = n * cos / (1 + (n - 1) * cos)
    avg = sum(ws) / n
    return (t * avg + (1 - t) * w0).reshape(shape)

# ---------------------------------------------------------------- driver

GLOBAL_DEFAULTS = {"lambda": 1.0, "rescale_mode": "l1", "nuslerp_flatten": True,
                   "nuslerp_row_wise": False, "filter_wise": False}
MODEL_DEFAULTS = {"density": 1.0, "gamma": 0.01, "epsilon": 0.15, "scale": 1.0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recipe")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    folder = os.path.dirname(os.path.abspath(args.recipe))
    with open(args.recipe) as f:
        recipe = yaml.safe_load(f)
    method = recipe["merge_method"]
    top = recipe.get("parameters") or {}
    base_ref = recipe.get("base_model")
    entries = [(m["model"], m.get("parameters") or {}) for m in recipe.get("models", [])]
    load = lambda ref: read_safetensors(os.path.join(folder, ref, "model.safetensors"))
    parents = {ref: load(ref) for ref in {r for r, _ in entries} | ({base_ref} if base_ref else set())}
    uses_base = method not in ("linear", "passthrough") and base_ref is not None
    merged = [(r, p) for r, p in entries if not (uses_base and r == base_ref)]
    reference = base_ref if uses_base else merged[0][0]
    config_path = os.path.join(folder, reference, "config.json")
    layers = json.load(open(config_path)).get("num_hidden_layers", 1)

    out = {}
    for name, ref_tensor in parents[reference].items():
        t = position(name, layers)
        def glob(key, default=None):
            d = GLOBAL_DEFAULTS.get(key, default)
            return param([top], key, name, t, d)
        models = []
        for ref, p in merged:
            resolved = {k: param([p, top], k, name, t, MODEL_DEFAULTS.get(k)) for k in
                        ("weight", "density", "gamma", "epsilon", "scale")}
            models.append((ref, parents[ref][name], resolved))
        base = parents[base_ref][name] if uses_base else None
        if method in GTA:
            _, _, normalize, rescale = GTA[method]
            g = {"normalize": glob("normalize", normalize), "rescale": glob("rescale", rescale),
                 "lambda": glob("lambda"), "rescale_mode": glob("rescale_mode")}
            out[name] = gta(method, base, models, g, name, args.seed)
        elif method == "linear":
            w = [p["weight"] for _, _, p in models]
            res = sum(wi * x for wi, (_, x, _) in zip(w, models))
            out[name] = res / sum(w) if glob("normalize", True) else res
        elif method == "slerp":
            out[name] = slerp(glob("t"), base, models[0][1])
        elif method == "nuslerp":
            w0, w1 = models[0][2]["weight"], models[1][2]["weight"]
            t = 0.5 if abs(w0 + w1) < 1e-6 else w1 / (w0 + w1)
            fl, rw = glob("nuslerp_flatten"), glob("nuslerp_row_wise")
            if base is not None:
                out[name] = base + nuslerp(t, models[0][1] - base, models[1][1] - base, rw, fl)
            else:
                out[name] = nuslerp(t, models[0][1], models[1][1], rw, fl)
        elif method == "model_stock":
            out[name] = model_stock(base, [x for _, x, _ in models], glob("filter_wise"))
        elif method == "passthrough":
            out[name] = models[0][1] * models[0][2]["scale"]
        else:
            raise SystemExit(f"reference: unknown method {method}")
    write_safetensors(args.out, out)


if __name__ == "__main__":
    main()
