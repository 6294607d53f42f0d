#!/usr/bin/python3
"""Reference SentencePiece results (python3-sentencepiece) for the tokenizer tests.

usage: reference_spm.py TOKENIZER.model TEXTS.json OUT.json
OUT: {"vocab_size", "bos", "eos", "pad", "unk", "ids": [[...]], "decoded": [...],
      "pieces": [first 50 pieces]}
"""
import json
import sys

import sentencepiece as spm


def main():
    model, texts_path, out_path = sys.argv[1:4]
    sp = spm.SentencePieceProcessor(model_file=model)
    with open(texts_path, encoding="utf-8") as f:
        texts = json.load(f)
    ids = [sp.encode(t) for t in texts]
    out = {
        "vocab_size": sp.get_piece_size(),
        "bos": sp.bos_id(), "eos": sp.eos_id(), "pad": sp.pad_id(), "unk": sp.unk_id(),
        "ids": ids,
        "decoded": [sp.decode(i) for i in ids],
        "pieces": [sp.id_to_piece(i) for i in range(min(50, sp.get_piece_size()))],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
