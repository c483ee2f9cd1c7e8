"""Tiny random Llama, Qwen2 and Mistral checkpoints (safetensors + tokenizer.json) and their
reference attention, made by transformers itself, for Maskscope's decoder parity tests.

Pinned versions: transformers==5.24.0 torch==2.15.0 tokenizers==0.23.3 safetensors==0.8.0 (the
script checks them). Run from the
repository root:
    python3 Tests/Fixtures/llama/make_tiny_decoders.py

Each checkpoint: hidden 64, 2 layers, 4 query heads sharing 2 key/value heads, SwiGLU 128,
a 320-token byte-level BPE trained on a few sentences, random weights (seeded). Variants:
  tiny-llama         F32, untied LM head, rope_theta 10000
  tiny-llama-bf16    the same weights saved as BF16 (the reference runs the BF16 values in F32)
  tiny-qwen2         F32, biases on Q/K/V, tied embeddings, rope_theta 1000000
  tiny-qwen2-f16     the same weights saved as F16 (IEEE half; the reference runs them in F32)
  tiny-mistral       F32, sliding_window 4 (reaches into the 20-token test text)
  tiny-mistral-bf16  the same weights saved as BF16
Writes Tests/Fixtures/llama/tiny-decoders.json: per checkpoint and case, ids, mask, attention
[layer][head][query][key] (eager, float32, rounded to 7 decimals), the last token's final hidden
state (after the final norm) and the top-5 next ids.
"""
import json
import os

import safetensors
import tokenizers
import torch
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM,
                          PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM)

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = ["The quick brown fox jumps over the lazy dog.", "Masks decide which keys a query sees.",
          "Decoders attend only to earlier tokens.", "Hello world, this is a test of 123 numbers."]
TEXT = "The quick brown fox jumps over the lazy dog."


def tokenizer():
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=320, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(CORPUS * 4, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", bos_token="<|endoftext|>",
                                   pad_token="<|endoftext|>")


def make(kind, fast):
    common = dict(vocab_size=len(fast), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128, rms_norm_eps=1e-6,
                  bos_token_id=0, eos_token_id=0)
    if kind == "llama":
        config = LlamaConfig(**common, tie_word_embeddings=False, rope_theta=10000.0)
        return LlamaForCausalLM(config)
    if kind == "qwen2":
        config = Qwen2Config(**common, tie_word_embeddings=True, rope_theta=1000000.0, use_sliding_window=False)
        return Qwen2ForCausalLM(config)
    config = MistralConfig(**common, tie_word_embeddings=False, rope_theta=10000.0, sliding_window=4)
    return MistralForCausalLM(config)


def reference(model, fast, mask_of):
    ids = fast(TEXT)["input_ids"]
    mask = mask_of(len(ids))
    with torch.no_grad():
        out = model(torch.tensor([ids]), attention_mask=torch.tensor([mask], dtype=torch.float32),
                    output_attentions=True, output_hidden_states=True)
    return {"ids": ids, "tokens": fast.convert_ids_to_tokens(ids), "mask": mask,
            "attention": [[[[round(w, 7) for w in row] for row in head] for head in a[0].tolist()] for a in out.attentions],
            "last_hidden": out.hidden_states[-1][0, -1].tolist(),
            "top5_ids": torch.topk(out.logits[0, -1], 5).indices.tolist()}


def main():
    assert transformers.__version__ == "5.24.0", transformers.__version__
    assert torch.__version__.split("+")[0] == "2.15.0", torch.__version__
    assert tokenizers.__version__ == "0.23.3", tokenizers.__version__
    assert safetensors.__version__ == "0.8.0", safetensors.__version__
    fast = tokenizer()
    results = {}
    for kind in ["llama", "qwen2", "mistral"]:
        torch.manual_seed({"llama": 1, "qwen2": 2, "mistral": 3}[kind])
        model = make(kind, fast)
        with torch.no_grad():
            for name, parameter in model.named_parameters():
                if name.endswith("norm.weight"):
                    parameter.copy_(1 + 0.1 * torch.randn_like(parameter))
                else:
                    parameter.copy_(0.2 * torch.randn_like(parameter))
        model.config._attn_implementation = "eager"
        model.eval()
        # One 16-bit copy per family: BF16 for Llama and Mistral, F16 for Qwen2 (both formats
        # are read by Maskscope's safetensors loader and widened exactly to F32).
        half = {"llama": ("tiny-llama-bf16", torch.bfloat16), "qwen2": ("tiny-qwen2-f16", torch.float16),
                "mistral": ("tiny-mistral-bf16", torch.bfloat16)}[kind]
        variants = [(f"tiny-{kind}", torch.float32), half]
        for folder_name, dtype in variants:
            folder = os.path.join(HERE, folder_name)
            saved = model.to(dtype)
            saved.save_pretrained(folder, safe_serialization=True)
            fast.save_pretrained(folder)
            for extra in ["generation_config.json", "chat_template.jinja"]:
                path = os.path.join(folder, extra)
                if os.path.exists(path):
                    os.remove(path)
            model = saved.to(torch.float32)
            # The reference loads what was saved, in F32 (BF16 values widened exactly, as Maskscope
            # does); converting the live module would also round its rotary inv_freq buffer to BF16.
            loaded = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
            loaded.eval()
            results[folder_name] = {
                "all-kept": reference(loaded, fast, lambda n: [1.0] * n),
                "hf-half-and-zero": reference(loaded, fast, lambda n: [1.0, 0.5, 1.0, 0.0] + [1.0] * (n - 4)),
                "first-masked": reference(loaded, fast, lambda n: [0.0] + [1.0] * (n - 1)),
            }
            print(folder_name, len(results[folder_name]["all-kept"]["ids"]), "tokens")
    with open(os.path.join(HERE, "tiny-decoders.json"), "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "text": TEXT,
                   "checkpoints": results}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
