"""Writes a random GGUF with the shape and quantization mix of Llama-3.2-1B Q4_K_M, for
measuring how Maskscope opens and runs a 1B-class model (bench_big_gguf.py). Never committed:
the file is ~0.8 GB and is generated at run time into a temporary folder.

Pinned versions: gguf==0.19.0, numpy==2.4.6 (python 3.11).

    python3 Tests/Reference/make_synthetic_gguf.py OUT.gguf [--seed 1] [--layers 16]

Shape (Llama-3.2-1B): hidden 2048, 16 layers, 32 heads and 8 key/value heads of 64, FFN 8192,
vocabulary 128256, rotary base 500000, embeddings tied to the output head.

Types, as llama.cpp's Q4_K_M mix (llama_tensor_get_type): token_embd (the tied output) Q6_K;
attn_v and ffn_down Q6_K in the layers `use_more_bits` picks (the first and last eighth and every
third in between), else Q4_K; every other matrix Q4_K; norms F32.

Blocks are random bytes (codes, sub-scales) with small finite f16 super-block scales written
directly, since gguf-py cannot quantize K-types; the weights are typically ±0.05, nothing NaN or
infinite. The tokenizer is a byte-level BPE of 128000 tokens (the 256 byte symbols, every pair of
them, then pairs + one symbol) plus Llama 3's 256 special tokens, with `pre = llama-bpe`, which
Maskscope's GGUF tokenizer loader accepts.
"""
import argparse
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T

from importlib.metadata import version

if version("gguf") != "0.19.0" or np.__version__ != "2.4.6":
    sys.exit(f"needs gguf 0.19.0 and numpy 2.4.6, found {version('gguf')} and {np.__version__}")

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN, VOCAB = 2048, 16, 32, 8, 8192, 128256
REGULAR_TOKENS = 128000
HEAD_SIZE = HIDDEN // HEADS

# Byte offsets of the f16 scales in one block (ggml-common.h) and the range of their magnitude.
SCALES = {T.Q4_K: ([0, 2], 2.0 ** -14), T.Q6_K: ([208], 2.0 ** -16)}


def bytes_to_unicode():
    """GPT-2's byte → printable symbol table (the alphabet of byte-level BPE)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for _, c in sorted(zip(bs, cs))]


def tokenizer():
    symbols = bytes_to_unicode()
    tokens = list(symbols)
    merges = []
    for a in symbols:
        for b in symbols:
            merges.append(f"{a} {b}")
            tokens.append(a + b)
    pairs = tokens[256:]
    for pair in pairs:
        for c in symbols:
            if len(tokens) == REGULAR_TOKENS:
                break
            merges.append(f"{pair} {c}")
            tokens.append(pair + c)
        if len(tokens) == REGULAR_TOKENS:
            break
    specials = ["<|begin_of_text|>", "<|end_of_text|>"] + [f"<|reserved_special_token_{i}|>" for i in range(VOCAB - REGULAR_TOKENS - 2)]
    types = [1] * len(tokens) + [3] * len(specials)
    return tokens + specials, types, merges


def random_blocks(rng, qtype, rows, columns):
    block_size, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(rows * columns // block_size, block_bytes), dtype=np.uint8)
    fields, magnitude = SCALES[qtype]
    for field in fields:
        scale = (magnitude * rng.uniform(0.5, 1.0, size=blocks.shape[0])).astype(np.float16)
        blocks[:, field:field + 2] = scale.view(np.uint8).reshape(-1, 2)
    return blocks.reshape(rows, columns // block_size * block_bytes)


def use_more_bits(layer, layers):
    return layer < layers // 8 or layer >= 7 * layers // 8 or (layer - layers // 8) % 3 == 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--layers", type=int, default=LAYERS)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    writer = gguf.GGUFWriter(args.out, "llama")
    writer.add_name("synthetic Llama-3.2-1B-shaped Q4_K_M (random weights)")
    writer.add_context_length(131072)
    writer.add_embedding_length(HIDDEN)
    writer.add_block_count(args.layers)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_dimension_count(HEAD_SIZE)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(VOCAB)
    writer.add_file_type(15)  # MOSTLY_Q4_K_M
    tokens, types, merges = tokenizer()
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("llama-bpe")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(REGULAR_TOKENS)
    writer.add_eos_token_id(REGULAR_TOKENS + 1)
    writer.add_add_bos_token(True)

    def matrix(name, qtype, rows, columns):
        writer.add_tensor(name, random_blocks(rng, qtype, rows, columns), raw_dtype=qtype)

    def norm(name):
        writer.add_tensor(name, (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32))

    matrix("token_embd.weight", T.Q6_K, VOCAB, HIDDEN)
    norm("output_norm.weight")
    kv = KV_HEADS * HEAD_SIZE
    for layer in range(args.layers):
        p = f"blk.{layer}."
        more = T.Q6_K if use_more_bits(layer, args.layers) else T.Q4_K
        norm(p + "attn_norm.weight")
        matrix(p + "attn_q.weight", T.Q4_K, HIDDEN, HIDDEN)
        matrix(p + "attn_k.weight", T.Q4_K, kv, HIDDEN)
        matrix(p + "attn_v.weight", more, kv, HIDDEN)
        matrix(p + "attn_output.weight", T.Q4_K, HIDDEN, HIDDEN)
        norm(p + "ffn_norm.weight")
        matrix(p + "ffn_gate.weight", T.Q4_K, FFN, HIDDEN)
        matrix(p + "ffn_up.weight", T.Q4_K, FFN, HIDDEN)
        matrix(p + "ffn_down.weight", more, HIDDEN, FFN)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"{args.out}: {os.path.getsize(args.out):,} bytes")


if __name__ == "__main__":
    main()
