"""Tiny random DistilBERT and RoBERTa masked-LM checkpoints and transformers' outputs on them,
for Maskscope's encoder-family parity tests (Tests/AttentionCoreTests/TinyEncoderParityTests.swift).

Pinned versions (the fixtures were generated with exactly these):
    Python 3.11.7, transformers==5.24.0, torch==2.15.0, tokenizers==0.23.3, safetensors 0.8.0

Run from anywhere:  python3 Tests/Fixtures/encoders/make_tiny_encoders.py

Writes, beside this script:
    tiny-distilbert/  DistilBertForMaskedLM, F32: config.json, model.safetensors, vocab.txt
                      (the tiny BERT fixture's word pieces), tokenizer_config.json, tokenizer.json
    tiny-roberta/     RobertaForMaskedLM, F32: config.json, model.safetensors, tokenizer.json
                      (the byte-level BPE trained by Tests/Fixtures/bpe/make_bpe_fixtures.py,
                      `<mask>` with lstrip), tokenizer_config.json
    tiny-encoders.json {"checkpoints": {name: {case: {text, pair, pad_to, pad_side, semantics, tokens, ids,
                      mask, attention [layer][head][query][key], hidden [token][H],
                      mask_positions, top5 [[id] × 5 per mask position]}}}}

Inputs go to the model as transformers' own tokenizer makes them (input_ids; neither family
reads token_type_ids from its tokenizer). Masks as in Tests/Fixtures/parity/make_parity_reference.py:
hf is the 2-D mask as is (transformers 5 keeps any non-zero key), soft is a 4-D additive mask ln m.
RoBERTa's position ids come from input_ids (padding keeps position padding_idx), so the padded
cases check create_position_ids_from_input_ids too: on the left (`padding_side="left"`) its real
tokens still count from padding_idx + 1, while DistilBERT's positions count from the first pad.

Weights use std 0.2 and random biases/LayerNorms (as make_tiny_bert.py) so a swapped or
forgotten tensor shows up in the numbers.
"""

import json
import math
import shutil
from pathlib import Path

import torch
from transformers import (AutoTokenizer, DistilBertConfig, DistilBertForMaskedLM, RobertaConfig,
                          RobertaForMaskedLM)

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent
SEED = 20261201


def randomise(model, std, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name.lower() and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(std * torch.randn_like(p))


def save(model, tokenizer, folder):
    if folder.exists():
        shutil.rmtree(folder)
    model.save_pretrained(str(folder), safe_serialization=True)
    tokenizer.save_pretrained(str(folder))
    for extra in folder.iterdir():
        if extra.name in ("generation_config.json", "special_tokens_map.json"):
            extra.unlink()


def make_distilbert():
    folder = HERE / "tiny-distilbert"
    work = HERE / "_distilbert_tokenizer"
    work.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "tiny-bert" / "vocab.txt", work / "vocab.txt")
    (work / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "DistilBertTokenizer", "do_lower_case": True, "unk_token": "[UNK]",
        "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
        "model_max_length": 40}))
    tokenizer = AutoTokenizer.from_pretrained(str(work))
    shutil.rmtree(work)
    vocab_size = len((FIXTURES / "tiny-bert" / "vocab.txt").read_text().splitlines())
    config = DistilBertConfig(vocab_size=vocab_size, dim=32, n_layers=2, n_heads=4, hidden_dim=64,
                              max_position_embeddings=40, activation="gelu", pad_token_id=0)
    model = DistilBertForMaskedLM(config)
    randomise(model, 0.2, SEED)
    with torch.no_grad():
        model.distilbert.embeddings.word_embeddings.weight[0].zero_()
    model.tie_weights()
    save(model, tokenizer, folder)
    shutil.copy(FIXTURES / "tiny-bert" / "vocab.txt", folder / "vocab.txt")
    return folder, DistilBertForMaskedLM


def make_roberta():
    folder = HERE / "tiny-roberta"
    work = HERE / "_roberta_tokenizer"
    work.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "bpe" / "roberta-tiny" / "tokenizer.json", work / "tokenizer.json")
    (work / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "RobertaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
        "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
        "add_prefix_space": False, "trim_offsets": True, "errors": "replace", "model_max_length": 38}))
    tokenizer = AutoTokenizer.from_pretrained(str(work))
    shutil.rmtree(work)
    vocab_size = len(json.loads((FIXTURES / "bpe" / "roberta-tiny" / "tokenizer.json").read_text())["model"]["vocab"])
    config = RobertaConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=64, max_position_embeddings=40, type_vocab_size=1,
                           pad_token_id=1, bos_token_id=0, eos_token_id=2, layer_norm_eps=1e-5)
    model = RobertaForMaskedLM(config)
    randomise(model, 0.2, SEED + 1)
    model.tie_weights()
    save(model, tokenizer, folder)
    return folder, RobertaForMaskedLM


def rounded(values, digits=7):
    return [float(f"{v:.{digits}g}") for v in values]


def blog_mask(words):
    """quick=1, jumps=0.5, lazy and everything after it = 0, found by token text."""
    def mask(tokens):
        stripped = [t.lstrip("Ġ") for t in tokens]
        m = [1.0] * len(tokens)
        m[stripped.index(words[0])] = 0.5
        for i in range(stripped.index(words[1]), len(tokens)):
            m[i] = 0.0
        return m
    return mask


def run_case(model, tokenizer, text, pair=None, pad_to=None, mask=None, semantics="hf", pad_side="right"):
    kwargs = {"return_tensors": "pt"}
    if pad_to:
        kwargs.update(padding="max_length", max_length=pad_to, padding_side=pad_side)
    enc = tokenizer(text, pair, **kwargs) if pair is not None else tokenizer(text, **kwargs)
    ids = enc["input_ids"][0].tolist()
    tokens = tokenizer.convert_ids_to_tokens(ids)
    if mask is None:
        mask = [float(v) for v in enc["attention_mask"][0].tolist()]
    else:
        mask = mask(tokens)
    n = len(ids)
    if semantics == "hf":
        attention_mask = torch.tensor([mask], dtype=torch.float32)
    elif semantics == "soft":
        attention_mask = torch.log(torch.tensor(mask, dtype=torch.float32)).view(1, 1, 1, n).expand(1, 1, n, n).contiguous()
    else:
        raise ValueError(semantics)
    with torch.no_grad():
        out = model(input_ids=enc["input_ids"], attention_mask=attention_mask, output_attentions=True,
                    output_hidden_states=True)
    mask_positions = [i for i, t in enumerate(ids) if t == tokenizer.mask_token_id]
    top5 = [torch.topk(out.logits[0, p], 5).indices.tolist() for p in mask_positions]
    attention = [[[rounded(row) for row in head] for head in layer[0].tolist()] for layer in out.attentions]
    hidden = [rounded(row) for row in out.hidden_states[-1][0].tolist()]
    for layer in out.attentions:
        assert torch.isfinite(layer).all()
    return {"text": text, "pair": pair, "pad_to": pad_to, "pad_side": pad_side, "semantics": semantics, "tokens": tokens, "ids": ids,
            "mask": mask, "attention": attention, "hidden": hidden, "mask_positions": mask_positions, "top5": top5}


def cases(model, tokenizer, mask_token, lowercase):
    the = "the" if lowercase else "The"
    text = f"{the} quick brown {mask_token} jumps over the lazy dog."
    return {
        "plain": run_case(model, tokenizer, text),
        "pair": run_case(model, tokenizer, text, pair=f"a cat sat on the {mask_token}."),
        "padded": run_case(model, tokenizer, f"a cat sat on the {mask_token}.", pair="the dog", pad_to=22),
        "left padded": run_case(model, tokenizer, f"a cat sat on the {mask_token}.", pad_to=16, pad_side="left"),
        "blog hf": run_case(model, tokenizer, text, mask=blog_mask(["jumps", "lazy"]), semantics="hf"),
        "blog soft": run_case(model, tokenizer, text, mask=blog_mask(["jumps", "lazy"]), semantics="soft"),
    }


def main():
    torch.set_grad_enabled(False)
    out = {"generator": "transformers " + __import__("transformers").__version__ + ", torch " + torch.__version__,
           "checkpoints": {}}
    for make, mask_token, lowercase in [(make_distilbert, "[MASK]", True), (make_roberta, "<mask>", False)]:
        folder, cls = make()
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        model = cls.from_pretrained(str(folder), attn_implementation="eager", dtype=torch.float32).eval()
        out["checkpoints"][folder.name] = cases(model, tokenizer, mask_token, lowercase)
    path = HERE / "tiny-encoders.json"
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    for name, c in out["checkpoints"].items():
        for case, v in c.items():
            print(name, case, v["tokens"], v["top5"])


if __name__ == "__main__":
    main()
