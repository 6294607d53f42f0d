#!/usr/bin/python3
"""Independent reference for the OpenSSF model signing v1.0 "files" root digest.

Walks a model directory, leaves out the spec's default paths (.git, .gitignore,
.gitattributes, .github) and the signature file model.sig at the top level, hashes each
regular file with hashlib, sorts the resources by their relative POSIX path (code point
order) and hashes the concatenated raw digests. Prints JSON: {"root": hex,
"resources": [[name, hex], ...]}.
"""
import hashlib
import json
import os
import sys

IGNORED = {".git", ".gitignore", ".gitattributes", ".github", "model.sig"}


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main(root):
    resources = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in IGNORED]
            filenames = [f for f in filenames if f not in IGNORED]
        for name in filenames:
            rel = name if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/" + name
            resources.append((rel, file_digest(os.path.join(dirpath, name))))
    resources.sort(key=lambda r: r[0])
    root_hash = hashlib.sha256()
    for _, hexdigest in resources:
        root_hash.update(bytes.fromhex(hexdigest))
    print(json.dumps({"root": root_hash.hexdigest(), "resources": resources}))


if __name__ == "__main__":
    main(sys.argv[1])
