"""A tiny random GPT-2 (GPT2LMHeadModel) checkpoint, the same weights as a GGUF file, and its
reference outputs, made by transformers itself, for Maskscope's GPT-2 parity tests.

Pinned versions: transformers==5.24.0 torch==2.15.0 tokenizers==0.23.3 gguf==0.19.0. Run from
the repository root:
    python3 Tests/Fixtures/gpt2/make_tiny_gpt2.py

The checkpoint: n_embd 32, 2 layers, 4 heads, n_positions 64, gelu_new, tied LM head, random
weights (seeded, widened so attention is far from uniform), and the 539-token byte-level BPE of
Tests/Fixtures/bpe/gpt2-tiny (vocab.json + merges.txt, pad = <|endoftext|>). Writes:
  tiny-gpt2/           config.json, model.safetensors (F32), vocab.json, merges.txt,
                       tokenizer.json, tokenizer_config.json
  tiny-gpt2.gguf       the same weights under llama.cpp's names (general.architecture gpt2),
                       Conv1D weights transposed to [out][in] and output.weight = wte, as
                       llama.cpp's convert_hf_to_gguf.py writes GPT-2; tokenizer.ggml.* arrays
  tiny-gpt2.json       per case: ids, tokens, mask, semantics, attention [layer][head][q][k]
                       (eager, float32), the final hidden state (after ln_f) of every token,
                       and the top-5 next ids after the last token.
Cases: plain text; a mask under hf (transformers 5: a 2-D float mask is read as bool); the same
mask under soft (a 4-D additive mask: float32 lowest above the diagonal plus ln m per key); a
short text right-padded with <|endoftext|> to 16 positions, pads masked (the tokenizer's own
attention_mask).
"""
import json
import os
import shutil

import gguf
import numpy as np
import torch
import transformers
from transformers import GPT2Config, GPT2LMHeadModel, GPT2Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
BPE = os.path.join(HERE, "..", "bpe", "gpt2-tiny")
OUT = os.path.join(HERE, "tiny-gpt2")
TEXT = "The quick brown fox jumps over the lazy dog."
SHORT = "Masks decide which keys"


def tokenizer():
    tok = GPT2Tokenizer(vocab=os.path.join(BPE, "vocab.json"), merges=os.path.join(BPE, "merges.txt"))
    tok.pad_token = tok.eos_token
    return tok


def model(vocabulary):
    torch.manual_seed(14)
    config = GPT2Config(vocab_size=vocabulary, n_positions=64, n_embd=32, n_layer=2, n_head=4,
                        activation_function="gelu_new", layer_norm_epsilon=1e-5, bos_token_id=0,
                        eos_token_id=0, tie_word_embeddings=True, resid_pdrop=0, embd_pdrop=0, attn_pdrop=0)
    net = GPT2LMHeadModel(config)
    with torch.no_grad():
        for name, parameter in net.named_parameters():
            if "ln_" in name and name.endswith("weight"):
                parameter.copy_(1 + 0.1 * torch.randn_like(parameter))
            elif name.endswith("bias"):
                parameter.copy_(0.1 * torch.randn_like(parameter))
            else:
                parameter.copy_(0.3 * torch.randn_like(parameter))
    return net


def write_gguf(net, tok, path):
    c = net.config
    writer = gguf.GGUFWriter(path, "gpt2")
    writer.add_name("tiny-gpt2")
    writer.add_context_length(c.n_positions)
    writer.add_embedding_length(c.n_embd)
    writer.add_feed_forward_length(4 * c.n_embd)
    writer.add_block_count(c.n_layer)
    writer.add_head_count(c.n_head)
    writer.add_layer_norm_eps(c.layer_norm_epsilon)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    vocab = tok.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda item: item[1])]
    assert [vocab[t] for t in tokens] == list(range(len(tokens)))
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("gpt2")
    writer.add_token_list(tokens)
    writer.add_token_types([gguf.TokenType.CONTROL if t == "<|endoftext|>" else gguf.TokenType.NORMAL for t in tokens])
    with open(os.path.join(BPE, "merges.txt"), encoding="utf-8") as f:
        merges = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#version")]
    writer.add_token_merges(merges)
    writer.add_bos_token_id(tok.eos_token_id)
    writer.add_eos_token_id(tok.eos_token_id)
    writer.add_add_bos_token(False)
    state = {k: v.detach().float().numpy() for k, v in net.state_dict().items()}
    names = {"wte": "token_embd", "wpe": "position_embd", "ln_f": "output_norm"}
    for name, value in state.items():
        if not name.startswith("transformer."):
            continue
        parts = name.split(".")[1:]
        if parts[0] in names:
            writer.add_tensor(f"{names[parts[0]]}.{parts[-1]}", value)
            continue
        block, sub = parts[1], ".".join(parts[2:-1])
        target = {"ln_1": "attn_norm", "attn.c_attn": "attn_qkv", "attn.c_proj": "attn_output", "ln_2": "ffn_norm",
                  "mlp.c_fc": "ffn_up", "mlp.c_proj": "ffn_down"}[sub]
        if parts[-1] == "weight" and value.ndim == 2:
            value = np.ascontiguousarray(value.T)  # Conv1D [in][out] -> [out][in]
        writer.add_tensor(f"blk.{block}.{target}.{parts[-1]}", value)
    writer.add_tensor("output.weight", state["transformer.wte.weight"])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def reference(net, tok, name, text, semantics, mask_of=None, pad_to=None):
    if pad_to:
        encoded = tok(text, padding="max_length", max_length=pad_to)
    else:
        encoded = tok(text)
    ids = encoded["input_ids"]
    length = len(ids)
    mask = mask_of(length) if mask_of else [float(m) for m in encoded["attention_mask"]]
    m = torch.tensor([mask], dtype=torch.float32)
    if semantics == "hf":
        attention_mask = m
    else:
        lowest = torch.finfo(torch.float32).min
        rows, keys = torch.arange(length)[:, None], torch.arange(length)[None, :]
        causal = torch.where(keys > rows, torch.tensor(lowest), torch.tensor(0.0))
        attention_mask = (causal + torch.log(m)[0][None, :])[None, None]
    with torch.no_grad():
        out = net(torch.tensor([ids]), attention_mask=attention_mask, output_attentions=True, output_hidden_states=True)
        direct = net.transformer(torch.tensor([ids]), attention_mask=attention_mask).last_hidden_state[0]
    hidden = out.hidden_states[-1][0]
    assert torch.equal(hidden, direct), "hidden_states[-1] is not the ln_f output"
    attentions = torch.stack([a[0] for a in out.attentions])
    assert not torch.isnan(attentions).any()
    for q in range(length):
        assert torch.all(attentions[:, :, q, q + 1:] == 0), (name, q)
    return {"name": name, "text": text, "semantics": semantics, "pad_to": pad_to, "ids": ids,
            "tokens": tok.convert_ids_to_tokens(ids), "mask": mask,
            "attention": attentions.tolist(), "hidden": hidden.tolist(),
            "top5_ids": torch.topk(out.logits[0, -1], 5).indices.tolist()}


def main():
    assert transformers.__version__ == "5.24.0", transformers.__version__
    tok = tokenizer()
    net = model(len(tok))
    net.config._attn_implementation = "eager"
    net.eval()
    shutil.rmtree(OUT, ignore_errors=True)
    net.save_pretrained(OUT, safe_serialization=True)
    tok.save_pretrained(OUT)
    for extra in ["generation_config.json", "chat_template.jinja", "special_tokens_map.json"]:
        path = os.path.join(OUT, extra)
        if os.path.exists(path):
            os.remove(path)
    for name in ["vocab.json", "merges.txt"]:
        shutil.copy(os.path.join(BPE, name), os.path.join(OUT, name))
    write_gguf(net, tok, os.path.join(HERE, "tiny-gpt2.gguf"))
    # The reference runs what was saved, reloaded.
    loaded = GPT2LMHeadModel.from_pretrained(OUT, dtype=torch.float32, attn_implementation="eager")
    loaded.eval()
    mask = lambda n: [1.0, 0.5, 1.0, 0.0, 0.25] + [1.0] * (n - 5)
    cases = [
        reference(loaded, tok, "plain", TEXT, "hf"),
        reference(loaded, tok, "hf-mask", TEXT, "hf", mask),
        reference(loaded, tok, "soft-mask", TEXT, "soft", mask),
        reference(loaded, tok, "padded", SHORT, "hf", pad_to=16),
    ]
    for c in cases:
        print(c["name"], len(c["ids"]), "tokens, top-5", c["top5_ids"])
    with open(os.path.join(HERE, "tiny-gpt2.json"), "w") as f:
        json.dump({"transformers": transformers.__version__, "torch": torch.__version__, "gguf": "0.19.0",
                   "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
