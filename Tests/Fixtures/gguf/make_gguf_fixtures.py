"""Writes the GGUF fixtures Maskscope's reader is checked against.

Pinned versions (the script refuses to run with others, so the fixtures can be remade exactly):
    gguf==0.19.0  numpy==2.4.6   (python 3.11)

Outputs, beside this script:
  dequantize-blocks.json  per ggml type, raw blocks (hex) and the float32 bit patterns that
                          gguf.quants.dequantize gives for them: random blocks whose f16 scales
                          are finite, and edge blocks (all-zero bytes, zero scales with random
                          codes, largest and smallest codes, negative-zero scales, extreme and
                          subnormal f16 scales).
  tiny-random.gguf        a GGUF v3 file written with gguf.GGUFWriter: llama-style metadata,
                          a small BPE tokenizer, a chat template and one tensor of every type
                          Maskscope reads (plus a 3-D and a 1-D F32 tensor for shape order).
  tiny-random-expected.json  each tensor's shape (outermost first), type and dequantized bits,
                          read back from the file with gguf.GGUFReader + gguf.quants.dequantize.

Run: python3 Tests/Fixtures/gguf/make_gguf_fixtures.py
"""
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize

from importlib.metadata import version
assert version("gguf") == "0.19.0", version("gguf")
assert np.__version__ == "2.4.6", np.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(12)

# Byte offsets of the f16 scale fields inside one block, from ggml-common.h's block structs.
F16_FIELDS = {
    T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
    T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}
FLOAT_TYPES = [T.F32, T.F16, T.BF16]
QUANT_TYPES = list(F16_FIELDS)


def finite_f16_bits(count):
    bits = rng.integers(0, 1 << 16, size=count, dtype=np.uint32).astype(np.uint16)
    bad = (bits & 0x7C00) == 0x7C00
    while bad.any():
        bits[bad] = rng.integers(0, 1 << 16, size=int(bad.sum()), dtype=np.uint32).astype(np.uint16)
        bad = (bits & 0x7C00) == 0x7C00
    return bits


def set_f16(block, offset, bits):
    block[offset:offset + 2] = np.array([bits], dtype="<u2").view(np.uint8)


def quant_blocks(qtype):
    _, size = gguf.GGML_QUANT_SIZES[qtype]
    fields = F16_FIELDS[qtype]
    blocks = []
    for _ in range(6):  # random codes and sub-scales, random finite f16 scales
        block = rng.integers(0, 256, size=size, dtype=np.uint32).astype(np.uint8)
        for offset, bits in zip(fields, finite_f16_bits(len(fields))):
            set_f16(block, offset, bits)
        blocks.append(block)
    blocks.append(np.zeros(size, dtype=np.uint8))  # all zero
    zero_scales = rng.integers(0, 256, size=size, dtype=np.uint32).astype(np.uint8)
    for offset in fields:
        set_f16(zero_scales, offset, 0)
    blocks.append(zero_scales)
    for fill in (0xFF, 0x00):  # largest and smallest codes (and sub-scales), ordinary scales
        block = np.full(size, fill, dtype=np.uint8)
        for offset, bits in zip(fields, [0x3C00, 0xB800]):  # 1.0, -0.5
            set_f16(block, offset, bits)
        blocks.append(block)
    negative_zero = rng.integers(0, 256, size=size, dtype=np.uint32).astype(np.uint8)
    for offset in fields:
        set_f16(negative_zero, offset, 0x8000)
    blocks.append(negative_zero)
    for scales in ([0x7BFF, 0xFBFF], [0x0001, 0x8001]):  # largest finite, smallest subnormal
        block = np.full(size, 0xFF, dtype=np.uint8) if scales[0] == 0x7BFF else \
            rng.integers(0, 256, size=size, dtype=np.uint32).astype(np.uint8)
        for offset, bits in zip(fields, scales):
            set_f16(block, offset, bits)
        blocks.append(block)
    return np.stack(blocks)


def float_values(qtype):
    """Random bit patterns plus the IEEE edge cases; F16 without NaN (see the Swift test)."""
    if qtype == T.F32:
        bits = rng.integers(0, 1 << 32, size=96, dtype=np.uint64).astype(np.uint32)
        edges = [0, 0x80000000, 0x7F800000, 0xFF800000, 0x00000001, 0x807FFFFF, 0x7F7FFFFF, 0x7FC00001]
        return np.concatenate([bits, np.array(edges, dtype=np.uint32)]).view(np.uint8)
    if qtype == T.F16:
        bits = finite_f16_bits(96)
        edges = [0, 0x8000, 0x7C00, 0xFC00, 0x0001, 0x83FF, 0x7BFF, 0x0400]
        return np.concatenate([bits, np.array(edges, dtype=np.uint16)]).astype("<u2").view(np.uint8)
    bits = rng.integers(0, 1 << 16, size=96, dtype=np.uint32).astype(np.uint16)
    edges = [0, 0x8000, 0x7F80, 0xFF80, 0x0001, 0x807F, 0x7F7F, 0x7FC1]
    return np.concatenate([bits, np.array(edges, dtype=np.uint16)]).astype("<u2").view(np.uint8)


def bits_hex(floats):
    return np.ascontiguousarray(floats, dtype=np.float32).view("<u4").astype("<u4").tobytes().hex()


def write_block_fixtures():
    cases = []
    for qtype in FLOAT_TYPES + QUANT_TYPES:
        raw = float_values(qtype) if qtype in FLOAT_TYPES else quant_blocks(qtype).reshape(-1)
        expected = dequantize(raw.copy(), qtype).reshape(-1)
        cases.append({"type": qtype.name, "bytes": raw.tobytes().hex(), "expected_f32_bits": bits_hex(expected)})
    with open(os.path.join(HERE, "dequantize-blocks.json"), "w") as f:
        json.dump({"generator": "make_gguf_fixtures.py, gguf 0.19.0, numpy 2.4.6", "cases": cases}, f, indent=1)
        f.write("\n")


def write_tiny_gguf():
    path = os.path.join(HERE, "tiny-random.gguf")
    writer = gguf.GGUFWriter(path, arch="llama")
    writer.add_name("tiny random llama")
    writer.add_context_length(128)
    writer.add_embedding_length(64)
    writer.add_block_count(2)
    writer.add_feed_forward_length(256)
    writer.add_head_count(4)
    writer.add_head_count_kv(2)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(10000.0)
    writer.add_file_type(1)
    tokens = ["<unk>", "<s>", "</s>"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["ab", "abc", "Ġthe", "é"]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("smollm")
    writer.add_token_list(tokens)
    writer.add_token_types([3, 3, 3] + [1] * (len(tokens) - 3))
    writer.add_token_merges(["a b", "ab c"])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_chat_template("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{% endfor %}")
    writer.add_array("test.nested", [[1, 2], [3]])
    writer.add_int16("test.int16", -7)
    writer.add_float64("test.float64", 0.1)
    writer.add_bool("test.bool", True)
    writer.add_uint64("test.uint64", 1 << 40)

    for qtype in FLOAT_TYPES + QUANT_TYPES:
        # Raw bytes with raw_dtype: the writer derives the element shape from the byte shape.
        # Floats: 8 rows of the 104 values twice over; quantized: 2 rows of 13 blocks.
        raw = np.concatenate([float_values(qtype)] * 2).reshape(8, -1) if qtype in FLOAT_TYPES \
            else np.concatenate([quant_blocks(qtype), quant_blocks(qtype)]).reshape(2, -1)
        writer.add_tensor(f"types.{qtype.name.lower()}", raw, raw_dtype=qtype)
    writer.add_tensor("shapes.three_d", rng.standard_normal((2, 3, 32), dtype=np.float32))
    writer.add_tensor("shapes.norm", rng.standard_normal(64, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    reader = gguf.GGUFReader(path)
    tensors = []
    for tensor in reader.tensors:
        floats = dequantize(np.array(tensor.data), tensor.tensor_type).reshape(-1)
        tensors.append({
            "name": tensor.name,
            "shape": [int(d) for d in reversed(tensor.shape.tolist())],
            "type": tensor.tensor_type.name,
            "byte_count": int(tensor.n_bytes),
            "expected_f32_bits": bits_hex(floats),
        })
    with open(os.path.join(HERE, "tiny-random-expected.json"), "w") as f:
        json.dump({"generator": "make_gguf_fixtures.py, gguf 0.19.0, numpy 2.4.6", "tensors": tensors}, f, indent=1)
        f.write("\n")


write_block_fixtures()
write_tiny_gguf()
