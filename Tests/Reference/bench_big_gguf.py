"""A 1B-class GGUF in Maskscope: peak resident memory against the file size, and recompute time.

Run by hand, from the repository root, after `swift build -c release --product maskscope`:

    python3 Tests/Reference/bench_big_gguf.py [--binary .build/release/maskscope]
        [--lengths 32,128] [--repeats 3] [--keep DIR] [--f32]

Writes a random GGUF with Llama-3.2-1B's shape and Q4_K_M mix (make_synthetic_gguf.py) into a
temporary folder (removed afterwards unless --keep), then runs, each under `/usr/bin/time -v`:

  maskscope bench --model FILE --lengths ... --threads 2 --format json
  maskscope attention --model FILE "TEXT" --format json

and prints, per command, the peak resident set size beside the file size, the wall time, the
bench's recompute medians, and `uptime`'s load average (the machine is shared: figures taken
under load are slower, not wrong). Weights are held as MASKSCOPE_WEIGHTS says (default auto,
which keeps a model of this size quantized); --f32 also runs `attention` with
MASKSCOPE_WEIGHTS=f32 for comparison (about 5 GB more memory).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = "The quick brown fox jumps over the lazy dog."


def uptime():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def timed(command, env=None):
    """Runs `command` under /usr/bin/time -v; returns (stdout, peak RSS bytes, wall seconds)."""
    start = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if not match:
        sys.exit("/usr/bin/time -v printed no maximum resident set size")
    return done.stdout, int(match.group(1)) * 1024, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/release/maskscope")
    parser.add_argument("--lengths", default="32,128")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", help="write the GGUF into this folder and keep it")
    parser.add_argument("--f32", action="store_true", help="also run attention with MASKSCOPE_WEIGHTS=f32")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"{args.binary} does not exist: build it with `swift build -c release --product maskscope`, or pass --binary")

    folder = args.keep or tempfile.mkdtemp(prefix="maskscope-1b-")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "synthetic-llama-3.2-1b-q4_k_m.gguf")
    try:
        if not os.path.exists(path):
            subprocess.run([sys.executable, os.path.join(HERE, "make_synthetic_gguf.py"), path], check=True)
        size = os.path.getsize(path)
        print(f"file: {size / 1e6:,.0f} MB ({path})")
        env = dict(os.environ)

        load = uptime()
        out, rss, wall = timed([args.binary, "attention", "--model", path, TEXT, "--format", "json"], env)
        tokens = len(json.loads(out).get("tokens", []))
        print(f"attention ({tokens} tokens): peak RSS {rss / 1e6:,.0f} MB = file + {(rss - size) / 1e6:,.0f} MB, "
              f"{wall:.1f} s wall (load average {load})")

        if args.f32:
            env32 = dict(env, MASKSCOPE_WEIGHTS="f32")
            load = uptime()
            out, rss32, wall32 = timed([args.binary, "attention", "--model", path, TEXT, "--format", "json"], env32)
            print(f"attention, MASKSCOPE_WEIGHTS=f32: peak RSS {rss32 / 1e6:,.0f} MB, {wall32:.1f} s wall (load average {load})")

        load = uptime()
        out, rss, wall = timed([args.binary, "bench", "--model", path, "--lengths", args.lengths, "--threads", "2",
                                "--repeats", str(args.repeats), "--latency-length", "32", "--latency-repeats", "2",
                                "--format", "json"], env)
        report = json.loads(out)
        print(f"bench: peak RSS {rss / 1e6:,.0f} MB = file + {(rss - size) / 1e6:,.0f} MB, {wall:.0f} s wall, "
              f"load {report['load_ms'] / 1e3:.1f} s (load average before {load}, after {uptime()})")
        for r in report["results"]:
            print(f"  {r['length']:4d} tokens, {r['threads']} threads: recompute median {r['median_ms']:,.0f} ms, "
                  f"p90 {r['p90_ms']:,.0f} ms, {r['gflops']:.0f} GFLOP/s ({r['percent_of_peak']:.0f}% of peak); "
                  f"+hidden {r['hidden_median_ms']:,.0f} ms")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
