#!/usr/bin/python3
"""Independent signer for tests: writes an OpenSSF model signature (v1.0, key-based Sigstore
bundle) for a directory, built from the specification with hashlib/json/base64 and signed with
the openssl command line.

usage: sign_model.py MODEL_DIR PRIVATE_KEY_PEM [--sig model.sig] [--digest sha256]
       [--payload-type T] [--predicate-type T] [--urlsafe] [--no-hint]
"""
import argparse
import base64
import hashlib
import json
import os
import subprocess

IGNORED = [".git", ".gitattributes", ".github", ".gitignore"]


def resources(model_dir, ignore):
    out = []
    for root, dirs, files in os.walk(model_dir):
        rel_root = os.path.relpath(root, model_dir)
        dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(rel_root, d)) not in ignore]
        for name in files:
            rel = os.path.normpath(os.path.join(rel_root, name)).replace(os.sep, "/")
            if rel in ignore:
                continue
            with open(os.path.join(root, name), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            out.append({"name": rel, "algorithm": "sha256", "digest": digest})
    return sorted(out, key=lambda r: r["name"])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model_dir")
    p.add_argument("key")
    p.add_argument("--sig", default="model.sig")
    p.add_argument("--digest", default="sha256")
    p.add_argument("--payload-type", default="application/vnd.in-toto+json")
    p.add_argument("--predicate-type", default="https://model_signing/signature/v1.0")
    p.add_argument("--urlsafe", action="store_true")
    p.add_argument("--no-hint", action="store_true")
    a = p.parse_args()

    ignore = sorted(IGNORED + [a.sig])
    res = resources(a.model_dir, ignore)
    root = hashlib.sha256(b"".join(bytes.fromhex(r["digest"]) for r in res)).hexdigest()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": os.path.basename(os.path.abspath(a.model_dir)),
                     "digest": {"sha256": root}}],
        "predicateType": a.predicate_type,
        "predicate": {
            "serialization": {"method": "files", "hash_type": "sha256",
                              "allow_symlinks": False, "ignore_paths": ignore},
            "resources": res,
        },
    }
    payload = json.dumps(statement, indent=2).encode()
    ptype = a.payload_type.encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(payload), payload)
    sig = subprocess.run(["openssl", "dgst", "-" + a.digest, "-sign", a.key], input=pae,
                         stdout=subprocess.PIPE, check=True).stdout
    pub = subprocess.run(["openssl", "ec", "-in", a.key, "-pubout"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True).stdout
    b64 = base64.urlsafe_b64encode if a.urlsafe else base64.b64encode
    bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"tlogEntries": []},
        "dsseEnvelope": {
            "payload": b64(payload).decode(),
            "payloadType": a.payload_type,
            "signatures": [{"sig": b64(sig).decode(), "keyid": ""}],
        },
    }
    if not a.no_hint:
        bundle["verificationMaterial"]["publicKey"] = {"hint": hashlib.sha256(pub).hexdigest()}
    with open(os.path.join(a.model_dir, a.sig), "w") as f:
        json.dump(bundle, f, indent=2)
    print(root)


if __name__ == "__main__":
    main()
