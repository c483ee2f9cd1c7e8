"""Maskscope against transformers on this machine, measured in turns: the issue's speed ratios.

Run by hand, from the repository root, on an otherwise idle machine, after
`swift build -c release`:

    python3 Tests/Reference/bench_side_by_side.py [--binary .build/release/maskscope]
        [--model minilm|smollm2|FOLDER|FILE.gguf] [--lengths 32,128,512] [--threads 2]
        [--rounds 5] [--repeats 30]

Each round runs `maskscope bench --format json` and then `bench_torch.py --format json` with the
same lengths, thread counts and repeats, so both see the same machine state within seconds of
each other; shared machines drift by tens of percent over minutes, which one run of each would
mistake for a speed difference. Per length and thread count it prints the median over rounds of
each side's median, and the ratio Maskscope / PyTorch of each round: median, best and worst;
with MiniLM or SmolLM2 also the ratio a recompute would reach at the machine's FMA peak.
It ends with a README-ready Markdown table: date, CPU, the bench's FMA peak, the load average
before and after, each side's median, the ratio against the target of 0.3, and Maskscope's share
of the FMA peak (the bench's FLOP count: grouped-query attention, SwiGLU and the causal mask's
L(L+1)/2 pairs for a decoder).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {32: 0.3, 128: 0.3, 512: 0.3}
# FLOP per token of the first layer's query/key/value projections, which the bench's count
# includes but a recompute reuses: 2 · hidden · (query + key + value widths).
REUSED_FLOP_PER_TOKEN = {"minilm": 2 * 384 * (3 * 384), "smollm2": 2 * 576 * (576 + 2 * 192)}


def run_json(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/maskscope")
    parser.add_argument("--model", default=None,
                        help="minilm (default), smollm2, a BERT folder or a llama GGUF file; the same on both sides")
    parser.add_argument("--lengths", default="32,128,512")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} does not exist: build it with `swift build -c release`, or pass --binary")

    common = ["--lengths", args.lengths, "--threads", args.threads, "--repeats", str(args.repeats), "--format", "json"]
    ours_command = [args.binary, "bench", "--model", args.model or "minilm", "--latency-repeats", "1"] + common
    torch_command = [sys.executable, os.path.join(HERE, "bench_torch.py")] + common
    if args.model:
        torch_command += ["--model", args.model]
    reused_per_token = REUSED_FLOP_PER_TOKEN.get(args.model or "minilm")

    load_before = os.getloadavg()
    ours, theirs, ratios, floors, shares = {}, {}, {}, {}, {}
    engine = ""
    for round_index in range(args.rounds):
        mine = run_json(ours_command)
        other = run_json(torch_command)
        engine = other["engine"]
        by_key = {(r["length"], r["threads"]): r["median_ms"] for r in other["results"]}
        for result in mine["results"]:
            key = (result["length"], result["threads"])
            ours.setdefault(key, []).append(result["median_ms"])
            theirs.setdefault(key, []).append(by_key[key])
            ratios.setdefault(key, []).append(result["median_ms"] / by_key[key])
            shares.setdefault(key, []).append(result.get("percent_of_fma_peak", 0))
            if reused_per_token is not None:
                # The work a recompute does: bench's count less the first layer's Q/K/V
                # projections (reused).
                length = result["length"]
                gflop = result["gflops"] * result["median_ms"] * 1e-3 - reused_per_token * length / 1e9
                fma_peak = mine["fma_peak_gflops"][str(result["threads"])]
                floors.setdefault(key, []).append(gflop / fma_peak * 1e3 / by_key[key])
        print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)
    load_after = os.getloadavg()

    print(f"Maskscope ({mine['kernel']}) vs {engine}, {mine['machine']}, {mine['cores']} cores; "
          f"{args.rounds} rounds of {args.repeats} repeats")
    print(f"{'tokens':>6} {'threads':>7} {'maskscope ms':>12} {'pytorch ms':>10} "
          f"{'ratio':>6} {'best':>6} {'worst':>6} {'target':>6} {'at FMA peak':>11}")
    for key in sorted(ours):
        length, threads = key
        target = TARGETS.get(length)
        floor = f"{statistics.median(floors[key]):.2f}" if key in floors else ""
        print(f"{length:>6} {threads:>7} {statistics.median(ours[key]):>12.2f} {statistics.median(theirs[key]):>10.2f} "
              f"{statistics.median(ratios[key]):>6.2f} {min(ratios[key]):>6.2f} {max(ratios[key]):>6.2f} "
              f"{'' if target is None else f'{target:.2f}':>6} {floor:>11}")
    if floors:
        print("at FMA peak: the ratio if every multiply-add of the recompute ran at the register-only FMA peak"
              " (no memory, no softmax): the best any implementation could reach against this PyTorch run")

    peaks = ", ".join(f"{t} thread{'s' if t != '1' else ''} {v:.0f}" for t, v in sorted(mine["fma_peak_gflops"].items()))
    print()
    print(f"{mine['model']}, {datetime.date.today().isoformat()}, {mine['machine']} ({mine['cores']} cores, "
          f"kernel {mine['kernel']}); bench FMA peak {peaks} GFLOP/s; load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after; {args.rounds} alternating rounds of {args.repeats}:")
    print()
    print("| tokens | threads | Maskscope ms | transformers eager ms | ratio (target ≤ 0.3) | share of FMA peak (target ≥ 80%) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for key in sorted(ours):
        length, threads = key
        print(f"| {length} | {threads} | {statistics.median(ours[key]):.1f} | {statistics.median(theirs[key]):.1f} "
              f"| {statistics.median(ratios[key]):.2f} | {statistics.median(shares[key]):.0f}% |")


if __name__ == "__main__":
    main()
