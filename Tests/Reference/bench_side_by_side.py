"""Maskscope against transformers on this machine, measured in turns: the issue's speed ratios.

Run by hand, from the repository root, on an otherwise idle machine, after
`swift build -c release`:

    python3 Tests/Reference/bench_side_by_side.py [--binary .build/release/maskscope]
        [--lengths 32,128,512] [--threads 2] [--rounds 5] [--repeats 30]

Each round runs `maskscope bench --format json` and then `bench_torch.py --format json` with the
same lengths, thread counts and repeats, so both see the same machine state within seconds of
each other; shared machines drift by tens of percent over minutes, which one run of each would
mistake for a speed difference. Per length and thread count it prints the median over rounds of
each side's median, and the ratio Maskscope / PyTorch of each round: median, best and worst;
with the default model also the ratio a recompute would reach at the machine's FMA peak.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {32: 1 / 3, 128: 1 / 2, 512: 1 / 2}


def run_json(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/maskscope")
    parser.add_argument("--model", default=None, help="BERT folder (default: all-MiniLM-L6-v2 on both sides)")
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

    ours, theirs, ratios, floors = {}, {}, {}, {}
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
            if not args.model:
                # The work a recompute does: bench's count less the first layer's Q/K/V
                # projections (reused), at all-MiniLM-L6-v2's hidden size 384.
                length = result["length"]
                gflop = result["gflops"] * result["median_ms"] * 1e-3 - 6 * length * 384 * 384 / 1e9
                fma_peak = mine["fma_peak_gflops"][str(result["threads"])]
                floors.setdefault(key, []).append(gflop / fma_peak * 1e3 / by_key[key])
        print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)

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


if __name__ == "__main__":
    main()
