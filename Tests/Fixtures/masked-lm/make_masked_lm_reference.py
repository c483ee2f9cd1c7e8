"""Reference [MASK] predictions of transformers' BertForMaskedLM on Tests/Fixtures/tiny-bert,
for the Swift MaskedLMHead parity test (OutputEffectTests).

Pinned versions (the fixture was generated with exactly these):
    Python 3.11.7, transformers 5.24.0, torch 2.15.0, tokenizers 0.23.3, safetensors 0.8.0

Run from anywhere:  python Tests/Fixtures/masked-lm/make_masked_lm_reference.py

Writes tiny-bert.json: {"cases": [{"text", "mask" (per-token attention_mask, 1/0),
"tokens", "predictions": [{"position", "top": [{"id", "token", "probability"}] × 5}]}]}.
Probabilities are softmax over the whole vocabulary of BertForMaskedLM's logits, in float32.
"""

import json
from pathlib import Path

import torch
from transformers import BertForMaskedLM, BertTokenizer

HERE = Path(__file__).resolve().parent
MODEL = HERE.parent / "tiny-bert"

# (text, positions whose attention_mask is 0)
CASES = [
    ("the quick brown [MASK] jumps over the lazy dog .", []),
    ("the quick brown [MASK] jumps over the lazy dog .", [7, 8]),
    ("a cat [MASK] on the [MASK] .", []),
    ("a cat [MASK] on the [MASK] .", [1]),
]


def main():
    torch.manual_seed(0)
    tokenizer = BertTokenizer.from_pretrained(str(MODEL))
    model = BertForMaskedLM.from_pretrained(str(MODEL), attn_implementation="eager").eval()
    cases = []
    for text, masked in CASES:
        encoded = tokenizer(text, return_tensors="pt")
        mask = encoded["attention_mask"].clone()
        for position in masked:
            mask[0, position] = 0
        with torch.no_grad():
            logits = model(input_ids=encoded["input_ids"], token_type_ids=encoded["token_type_ids"],
                           attention_mask=mask).logits[0]
        probabilities = torch.softmax(logits, dim=-1)
        tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0])
        predictions = []
        for position, token in enumerate(tokens):
            if token != "[MASK]":
                continue
            top = torch.topk(probabilities[position], 5)
            predictions.append({
                "position": position,
                "top": [{"id": int(i), "token": tokenizer.convert_ids_to_tokens(int(i)), "probability": float(p)}
                        for p, i in zip(top.values, top.indices)],
            })
        cases.append({"text": text, "mask": mask[0].tolist(), "tokens": tokens, "predictions": predictions})
    (HERE / "tiny-bert.json").write_text(json.dumps({"cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
