"""Generates the tiny random BERT checkpoints under Tests/Fixtures/tiny-bert*/.

Pinned versions (the fixtures were generated with exactly these):
    Python 3.11.7, transformers 5.24.0, torch 2.15.0, tokenizers 0.23.3, safetensors 0.8.0

Run from anywhere:  python Tests/Fixtures/make_tiny_bert.py

Outputs, each folder with config.json, model.safetensors, vocab.txt, tokenizer_config.json:
    tiny-bert/       BertForMaskedLM, F32, tensor names with the `bert.` prefix plus the cls.predictions head
    tiny-bert-f16/   BertModel (same weights), F16, names without prefix
    tiny-bert-bf16/  BertModel (same weights), BF16, names without prefix
and expected-floats.json in the f16 and bf16 folders: a few tensors as transformers reads
them back in float32, so the Swift loader's F16/BF16 conversion can be checked bit for bit.

Weights use std 0.2 (not BERT's 0.02) so attention patterns are far from uniform, and every
bias and LayerNorm parameter is randomised too (BERT initialises them to 0 and 1), so a
forward pass that forgets or swaps one of them gives visibly different numbers.
"""

import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertForMaskedLM, BertTokenizer

HERE = Path(__file__).resolve().parent
SEED = 20240611

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
DIGITS = [str(d) for d in range(10)]
PUNCTUATION = list(".,!?;:'\"-()[]/&")
WORDS = """
the quick brown fox jumps over lazy dog a cat sat on mat and so it is was in of to
he she they we you i my your his her their our this that these those there here
what who which when where why how not no yes but or if then than with from by at
for as be been are were has have had do does did will would can could should may
might must shall one two three four five six seven eight nine ten first last new
old good bad big small little long short high low red blue green black white day
night time year way man woman child children people world house home school work
word sentence token mask attention head layer model bank river money deposit went
saw said say make made go going get got see look like love run walk talk play read
write book paper dark light sun moon star tree water fire river city story
bird fish horse cow song music food bread milk apple door window road car
train ship sea sky rain snow wind cold hot warm happy sad fast slow open close
left right up down out into after before under above again never always very
all some many much more most other same every each just only also well about
""".split()
PIECES = ["##s", "##ing", "##ed", "##er", "##ly", "##est", "##es", "##n't"]


def vocabulary():
    tokens = SPECIAL + LETTERS + DIGITS + PUNCTUATION + WORDS + ["##" + c for c in LETTERS] + PIECES
    seen, unique = set(), []
    for t in tokens:
        if t not in seen:
            seen.add(t)
            unique.append(t)
    return unique


def randomise(model, std):
    torch.manual_seed(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(std * torch.randn_like(p))
        # [PAD] keeps a zero embedding, as in trained BERT checkpoints.
        model.bert.embeddings.word_embeddings.weight[0].zero_()


def write_tokenizer(folder, vocab):
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer_config = {
        "do_lower_case": True,
        "tokenize_chinese_chars": True,
        "strip_accents": None,
        "unk_token": "[UNK]",
        "sep_token": "[SEP]",
        "pad_token": "[PAD]",
        "cls_token": "[CLS]",
        "mask_token": "[MASK]",
        "model_max_length": 40,
        "tokenizer_class": "BertTokenizer",
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2) + "\n")
    # Fail here, not in a Swift test, if transformers cannot read what we wrote.
    tokenizer = BertTokenizer.from_pretrained(str(folder))
    assert tokenizer.tokenize("The quick brown fox") == ["the", "quick", "brown", "fox"]


def save(model, folder, vocab):
    if folder.exists():
        shutil.rmtree(folder)
    model.save_pretrained(str(folder), safe_serialization=True)
    for extra in folder.iterdir():
        if extra.name not in ("config.json", "model.safetensors"):
            extra.unlink()
    write_tokenizer(folder, vocab)


EXPECTED_TENSORS = [
    "embeddings.LayerNorm.weight",
    "embeddings.token_type_embeddings.weight",
    "encoder.layer.0.attention.self.query.bias",
    "encoder.layer.1.output.LayerNorm.bias",
]


def write_expected_floats(folder):
    tensors = load_file(str(folder / "model.safetensors"))
    expected = {
        name: {
            "dtype": str(tensors[name].dtype).replace("torch.", ""),
            "shape": list(tensors[name].shape),
            "values": tensors[name].float().flatten().tolist(),
        }
        for name in EXPECTED_TENSORS
    }
    (folder / "expected-floats.json").write_text(json.dumps(expected, indent=1) + "\n")


def main():
    vocab = vocabulary()
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=40,
        type_vocab_size=2,
        hidden_act="gelu",
        layer_norm_eps=1e-12,
        initializer_range=0.2,
        pad_token_id=0,
    )
    model = BertForMaskedLM(config).eval()
    randomise(model, config.initializer_range)
    save(model, HERE / "tiny-bert", vocab)

    for dtype, suffix in [(torch.float16, "f16"), (torch.bfloat16, "bf16")]:
        encoder = BertForMaskedLM.from_pretrained(str(HERE / "tiny-bert")).bert
        encoder.config.architectures = ["BertModel"]
        folder = HERE / f"tiny-bert-{suffix}"
        save(encoder.to(dtype), folder, vocab)
        write_expected_floats(folder)

    print(f"vocab {len(vocab)} tokens")
    for folder in sorted(HERE.glob("tiny-bert*")):
        raw = (folder / "model.safetensors").read_bytes()
        header = json.loads(raw[8 : 8 + int.from_bytes(raw[:8], "little")])
        dtypes = sorted({v["dtype"] for k, v in header.items() if k != "__metadata__"})
        size = sum(f.stat().st_size for f in folder.iterdir())
        print(f"{folder.name}: {len(header) - 1} tensors, dtypes {dtypes}, {size:,} bytes")


if __name__ == "__main__":
    main()
