"""Independent reading and writing of the safetensors format, from its description:
8-byte little-endian header length, JSON header, tensor bytes; written like the reference
library (data ordered by dtype alignment then name, header padded with spaces to 8 bytes)."""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def expected():
    return {
        "emb": torch.arange(12, dtype=torch.float32).reshape(3, 4),
        "norm": (torch.arange(5, dtype=torch.float32) * 2).to(torch.bfloat16),
        "proj": (torch.arange(6, dtype=torch.float32) * 3).to(torch.float16).reshape(2, 3),
    }


def write(path):
    tensors = expected()
    names = sorted(tensors, key=lambda n: (-tensors[n].element_size(), n))
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in names:
        t = tensors[name]
        raw = t.contiguous().view(torch.uint8).numpy().tobytes()
        dtype = [k for k, v in DTYPES.items() if v == t.dtype][0]
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def check(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0, "header not padded"
    header = json.loads(data[8:8 + n])
    assert header.get("__metadata__") == {"format": "pt"}, header.get("__metadata__")
    for name, want in expected().items():
        info = header[name]
        b, e = info["data_offsets"]
        raw = bytearray(data[8 + n + b:8 + n + e])
        got = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        assert got.dtype == want.dtype and torch.equal(got, want), name


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
