#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into Fuzz/corpus/<Target>/.

Seeds are valid files taken from the repository (Tests/Fixtures, themes/, lessons/) or written
here small, plus the inputs of past failures (issue 16's audit and what the fuzzers found).
Standard library only; run from anywhere: python3 Fuzz/make_corpus.py. Inputs the fuzzers find
and minimise later are added by hand under a name saying what they broke.
"""
import json
import pathlib
import struct

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Fuzz" / "corpus"


def write(target, name, content):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content.encode() if isinstance(content, str) else content)


def copy(target, path, name=None):
    source = ROOT / path
    write(target, name or source.name, source.read_bytes())


def safetensors(header, data=b""):
    text = header if isinstance(header, str) else json.dumps(header, separators=(",", ":"))
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw + data


# safetensors header ------------------------------------------------------------------------
T = "SafeTensorsHeaderFuzz"
write(T, "two-f32.safetensors", safetensors(
    {"__metadata__": {"format": "pt"},
     "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
     "b": {"dtype": "F32", "shape": [3], "data_offsets": [16, 28]}}, bytes(28)))
write(T, "half-types.safetensors", safetensors(
    {"h": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
     "bf": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [4, 8]},
     "i": {"dtype": "I64", "shape": [1], "data_offsets": [8, 16]}}, bytes(16)))
write(T, "empty-tensor.safetensors", safetensors(
    {"e": {"dtype": "F32", "shape": [0, 4], "data_offsets": [0, 0]},
     "s": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}}, bytes(4)))
write(T, "empty-header.safetensors", safetensors({}))
# The tiny-bert fixture's real header, its data cut to 64 bytes: every tensor then ends past the file.
tiny = (ROOT / "Tests/Fixtures/tiny-bert/model.safetensors").read_bytes()
(length,) = struct.unpack("<Q", tiny[:8])
write(T, "tiny-bert-header-truncated.safetensors", tiny[:8 + length + 64])
# Past failures and edge cases: issue 16 #7 (duplicate names), a NaN weight (#3, the header
# itself is valid), overlaps, a length beyond the file, offsets past Int.max.
write(T, "duplicate-names.safetensors", safetensors(
    '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
    bytes(8)))
write(T, "nan-weight.safetensors", safetensors(
    {"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, struct.pack("<ff", float("nan"), float("inf"))))
write(T, "overlapping.safetensors", safetensors(
    {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
     "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, bytes(12)))
write(T, "length-beyond-file.safetensors", struct.pack("<Q", 2**64 - 1) + b"{}")
write(T, "huge-offsets.safetensors", safetensors(
    '{"a":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,9223372036854775807]}}'))
write(T, "shape-overflow.safetensors", safetensors(
    {"a": {"dtype": "F32", "shape": [2**62, 2**62], "data_offsets": [0, 0]}}))
write(T, "sub-byte-dtype.safetensors", safetensors(
    {"a": {"dtype": "F4", "shape": [3], "data_offsets": [0, 1]}}, bytes(1)))

# config.json -------------------------------------------------------------------------------
T = "BertConfigFuzz"
copy(T, "Tests/Fixtures/tiny-bert/config.json", "tiny-bert.json")
copy(T, "Tests/Fixtures/tiny-bert-f16/config.json", "tiny-bert-f16.json")
minilm = {"architectures": ["BertModel"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
          "hidden_dropout_prob": 0.1, "hidden_size": 384, "initializer_range": 0.02,
          "intermediate_size": 1536, "layer_norm_eps": 1e-12, "max_position_embeddings": 512,
          "model_type": "bert", "num_attention_heads": 12, "num_hidden_layers": 6, "pad_token_id": 0,
          "position_embedding_type": "absolute", "type_vocab_size": 2, "vocab_size": 30522}
write(T, "minilm.json", json.dumps(minilm, indent=2))
for name, change in [("huge-layers", {"num_hidden_layers": 10**9}),           # issue 16 #2
                     ("enormous-hidden", {"hidden_size": 1e300}),
                     ("negative-heads", {"num_attention_heads": -3}),
                     ("fraction", {"intermediate_size": 2.5}),
                     ("string-size", {"vocab_size": "30522"}),
                     ("null-size", {"hidden_size": None}),
                     ("uneven-heads", {"num_attention_heads": 7}),
                     ("relu", {"hidden_act": "relu"}),
                     ("negative-eps", {"layer_norm_eps": -1})]:
    write(T, f"{name}.json", json.dumps({**minilm, **change}))
write(T, "syntax-error.json", '{\n  "hidden_size": 384,\n  "num_hidden_layers": ,\n}')
write(T, "array.json", "[1, 2, 3]")

# vocab.txt ---------------------------------------------------------------------------------
T = "VocabTxtFuzz"
copy(T, "Tests/Fixtures/tiny-bert/vocab.txt", "tiny-bert.txt")
uncased = (ROOT / "Tests/Fixtures/tokenizer/vocab-uncased.txt").read_bytes().split(b"\n")
write(T, "uncased-first-300.txt", b"\n".join(uncased[:300]) + b"\n")
write(T, "specials-crlf.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nthe\r\n##s\r\nfox\r\n")
write(T, "no-unk.txt", "[PAD]\n[CLS]\n[SEP]\nthe\n")
write(T, "blank-lines.txt", "\n\n\n")
write(T, "invalid-utf8.txt", b"[PAD]\n[UNK]\n[CLS]\n[SEP]\n\xff\xfe\n")
write(T, "duplicates.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\nthe\n##\n#\n")

# tokenizer.json ----------------------------------------------------------------------------
T = "TokenizerJSONFuzz"
copy(T, "Tests/Fixtures/tokenizer/small/tokenizer.json", "small.json")
small = json.loads((ROOT / "Tests/Fixtures/tokenizer/small/tokenizer.json").read_text())
for name, change in [("negative-id", lambda t: t["model"]["vocab"].update({"x": -1})),
                     ("huge-id", lambda t: t["model"]["vocab"].update({"x": 2**24})),
                     ("fraction-id", lambda t: t["model"]["vocab"].update({"x": 3.5})),
                     ("bpe-model", lambda t: t["model"].update({"type": "BPE"})),
                     ("no-normalizer", lambda t: t.update({"normalizer": None})),
                     ("other-normalizer", lambda t: t.update({"normalizer": {"type": "NFC"}})),
                     ("empty-prefix", lambda t: t["model"].update({"continuing_subword_prefix": ""})),
                     ("negative-max-chars", lambda t: t["model"].update({"max_input_chars_per_word": -1})),
                     ("huge-max-chars", lambda t: t["model"].update({"max_input_chars_per_word": 2**62})),
                     ("added-negative", lambda t: t.update({"added_tokens": [{"id": -5, "content": "[X]", "special": True}]}))]:
    changed = json.loads(json.dumps(small))
    change(changed)
    write(T, f"{name}.json", json.dumps(changed))
write(T, "minimal.json", json.dumps({"model": {"type": "WordPiece", "vocab": {
    "[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "fox": 5, "##es": 6}}}))

# theme TOML --------------------------------------------------------------------------------
T = "ThemeTOMLFuzz"
for theme in sorted((ROOT / "themes").glob("*.toml")):
    copy(T, theme.relative_to(ROOT))
write(T, "unknown-key.toml", 'name = "x"\ncolours = {}\n')
write(T, "bad-color.toml", 'name = "x"\n[colors]\nbackground = "#12345"\nscale = ["#000000", "#zzzzzz"]\n')
write(T, "syntax-error.toml", 'name = "x\n[colors\n')
# Found by ThemeTOMLFuzz: toml++ asserted (abort) on a header key starting with '=' and on '}'
# where an array expects a value (TOMLParserGuard).
write(T, "toml++-header-assert.toml", 'd=false\n[c]\ne=[""]\n[=')
write(T, "toml++-array-brace-assert.toml", 'e=["",}')
write(T, "toml++-time-assert.toml", 'name = 1978-02-27T*7:32')
write(T, "toml++-bom-header-assert.toml", "\ufeff[\n'''s\ufeffe")
write(T, "toml++-array-header-assert.toml", 'name = "x"\n[[ #\n')

# lesson TOML -------------------------------------------------------------------------------
T = "LessonTOMLFuzz"
for lesson in sorted((ROOT / "lessons").glob("*.toml")):
    copy(T, lesson.relative_to(ROOT))
# issue 16 #1 and #10: sizes a lesson may ask for.
write(T, "huge-pad-to.toml", 'title = "t"\n[[step]]\ncaption = "c"\ntext = "hi"\npad_to = 9223372036854775807\n')
write(T, "negative-pad-to.toml", 'title = "t"\n[[step]]\ncaption = "c"\ntext = "hi"\npad_to = -3\nlayer = 999\n')
write(T, "bad-mask.toml", 'title = "t"\n[[step]]\ncaption = "c"\ntext = "hi"\nmask = "quick=0x10,,"\npattern = "window:-1"\n')
write(T, "no-steps.toml", 'title = "t"\n')
# The toml++ header assertion ThemeTOMLFuzz found reaches lessons through the same parser.
write(T, "toml++-header-assert.toml", 'title = "t"\n[[step]]\ncaption = "c"\n[=')
write(T, "toml++-array-brace-assert.toml", 'title = "t"\n[[step]]\ncaption = "c"\nmask = [1, }')
# Found by LessonTOMLFuzz: toml++ asserted on a date whose time part is not digits.
write(T, "toml++-time-assert.toml", 'tpad_to =1974-05-27Tdim07:3accents')

# session files -----------------------------------------------------------------------------
T = "SessionFuzz"
session = {"version": 1, "text": "The quick brown fox jumps over the lazy dog", "model": "builtin",
           "mask": [1, 1, 1, 1, 1, 0.5, 1, 1, 0, 0, 1], "semantics": "soft", "pattern": "causal",
           "cells": [[1, 2, 0.5]], "view": "heatmap", "layer": 0, "head": 1, "mean_of_heads": False,
           "dense": False, "theme": "viridis", "selected_key": 2, "selected_query": 3}
write(T, "valid.json", json.dumps(session, indent=2))
write(T, "minimal.json", json.dumps({k: v for k, v in session.items() if k not in ("pattern", "cells", "view")}))
write(T, "pair-padded.json", json.dumps({**session, "pair": "it slept", "pad_to": 16}))
# issue 16 #1 and #10: sizes and names a session may hold.
write(T, "huge-pad-to.json", json.dumps({**session, "pad_to": 1000000000}))
write(T, "negative-pad-to.json", json.dumps({**session, "pad_to": -3, "layer": 999}))
write(T, "unknown-theme.json", json.dumps({**session, "theme": "no-such-theme"}))
write(T, "newer-version.json", json.dumps({**session, "version": 2}))
write(T, "float-overflow.json", json.dumps(session).replace('"mask": [1,', '"mask": [1e39,'))

# mask SPEC ---------------------------------------------------------------------------------
T = "MaskSpecFuzz"
for index, spec in enumerate(["quick=1,jumps=0.5,lazy..=0", "3..7=0", "8..=0", "..4=0.5", "..=1",
                              "quick..lazy=0.25", "','=0", "'='=0,\"5\"=1", "the=0", "2=-2.5"]):
    write(T, f"spec-{index}.txt", spec)
write(T, "preset.txt", "# the blog post\nquick=1   # kept\njumps=0.5\nlazy..=0\n")
# issue 16 #4 and #10.
write(T, "hex-value.txt", "quick=0x10")
write(T, "empty-parts.txt", "quick=1,,jumps=0,")
write(T, "jumps-3.txt", "jumps=3")
write(T, "unterminated-quote.txt", "'quick=1")

# pattern syntax ----------------------------------------------------------------------------
T = "MaskPatternFuzz"
for index, pattern in enumerate(["none", "padding:2", "causal", "prefix:4", "window:2", "block", "block:0,5",
                                 "global:0+window:1", "global:0,5+global:2+causal", "seed", " Window : 3 "]):
    write(T, f"pattern-{index}.txt", pattern)
for name, pattern in [("huge-window", "window:9223372036854775807"), ("negative", "padding:-1"),
                      ("empty-position", "block:1,,2"), ("global-no-base", "global:0+"),
                      ("past-the-end", "prefix:1000")]:
    write(T, f"{name}.txt", pattern)

# key decoder -------------------------------------------------------------------------------
T = "KeyDecoderFuzz"
def record(kind, a, b=0):
    return struct.pack("<BII", kind, a & 0xFFFFFFFF, b & 0xFFFFFFFF)
# Characters (printable, controls, C1, surrogate, beyond Unicode), key codes (0o402 = KEY_DOWN
# ... F-keys at 0o410+n), mouse reports (button 1 pressed = 2, wheel up = 0x80000 in ncurses 6).
write(T, "characters.bin", b"".join(record(0, c) for c in [ord("a"), 10, 13, 9, 27, 127, 1, 26, 31, 0x85,
                                                             0xE9, 0x6771, 0xD800, 0x1F600, 0x110000]))
write(T, "key-codes.bin", b"".join(record(1, c) for c in [0o402, 0o403, 0o404, 0o405, 0o406, 0o550, 0o410 + 1,
                                                            0o410 + 12, 0o410 + 13, 0o632, 0o631, -1]))
write(T, "mouse.bin", b"".join(record(2, x | (y << 16), b) for x, y, b in [(3, 4, 2), (0, 0, 1), (65535, 65535, 0x80000),
                                                                           (10, 2, 0x8000000), (1, 1, 0xFFFFFFFF)]))
# GGUF --------------------------------------------------------------------------------------
T = "GGUFFuzz"
copy(T, "Tests/Fixtures/gguf/tiny-random.gguf")
real = (ROOT / "Tests/Fixtures/gguf/tiny-random.gguf").read_bytes()
write(T, "tiny-random-truncated.gguf", real[:2048])


def gguf_string(text):
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def gguf(version=3, metadata=(), tensors=(), data=b"", tensor_count=None, kv_count=None):
    """A GGUF file: metadata as (key, type tag, packed value), tensors as (name, dims, ggml type, offset)."""
    out = b"GGUF" + struct.pack("<I", version)
    out += struct.pack("<QQ", len(tensors) if tensor_count is None else tensor_count,
                       len(metadata) if kv_count is None else kv_count)
    for key, tag, value in metadata:
        out += gguf_string(key) + struct.pack("<I", tag) + value
    for name, dims, kind, offset in tensors:
        out += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", kind, offset)
    out += bytes(-len(out) % 32)
    return out + data


arch = ("general.architecture", 8, gguf_string("llama"))
write(T, "f32-and-f16.gguf", gguf(metadata=[arch, ("general.alignment", 4, struct.pack("<I", 32))],
                                  tensors=[("a", [4, 2], 0, 0), ("h", [8], 1, 32)],
                                  data=struct.pack("<8f", *range(8)) + bytes(16)))
write(T, "q8_0.gguf", gguf(metadata=[arch], tensors=[("q", [32], 8, 0)], data=struct.pack("<e", 0.5) + bytes(range(32))))
write(T, "array-metadata.gguf", gguf(metadata=[arch, ("tokenizer.ggml.tokens", 9,
                                                      struct.pack("<IQ", 8, 3) + b"".join(gguf_string(t) for t in ["a", "b", "c"]))]))
write(T, "magic-only.gguf", b"GGUF")
write(T, "huge-tensor-count.gguf", gguf(tensor_count=2**63 - 1))
write(T, "huge-string-length.gguf", b"GGUF" + struct.pack("<IQQQ", 3, 0, 1, 2**62) + b"key")
write(T, "huge-dimensions.gguf", gguf(tensors=[("t", [2**40, 2**40], 0, 0)]))
write(T, "version-2.gguf", gguf(version=2, metadata=[arch]))

print(f"wrote {sum(1 for _ in CORPUS.rglob('*') if _.is_file())} seeds under {CORPUS.relative_to(ROOT)}")
