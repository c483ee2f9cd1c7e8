#!/usr/bin/env python3
"""Key soak of the Maskscope explorer (issue 16): run by hand or nightly, not in CI.

Starts the explorer in a pseudo-terminal on MiniLM with a 200-token text and sends it
random keys: navigation and mask keys, escape sequences (arrows, Home/End, PgUp/PgDn, F1),
mouse reports (SGR and X10 clicks, wheel), text edits, the pattern picker, help, and
window resizes (TIOCSWINSZ, so the explorer gets SIGWINCH). After each phase of --keys
keys it checks that the process is alive and records its resident memory (VmRSS). At the
end it presses q and checks the process exits within --quit-seconds.

Passes (exit 0) when: the explorer never dies, it quits within the limit, and the median
resident memory over the second phase (sampled every 250 inputs) is at most --rss-growth
(fraction) above the first phase's: memory that keeps growing fails, while the bounded
caches (recycled result buffers, warm spares for a new text length) that come and go do not.
Prints the figures as it goes.

    python3 Tests/Soak/key_soak.py                                  # release binary if built, else debug
    python3 Tests/Soak/key_soak.py --binary .build/debug/maskscope --keys 5000 --seed 7
"""
import argparse
import fcntl
import json
import os
import pty
import random
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

SENTENCE = "The quick brown fox jumps over the lazy dog."
# Keys that act at once at the top level (no modal state): navigation, mask edits, views.
PLAIN_KEYS = list("hjklgG015x+-vruc[]<>,.aztdSmoEsnNC") + ["\x12"]  # \x12 = Ctrl-R (redo)
SEQUENCES = ["\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x1b[H", "\x1b[F", "\x1b[1~", "\x1b[4~",
             "\x1b[5~", "\x1b[6~", "\x1bOA", "\x1bOB", "\x1bOC", "\x1bOD", "\x1b[Z", "\t", "\x1bOP",
             # sequences xterm-256color's terminfo does not name: focus reports, modified keys,
             # bracketed paste; the explorer must drop them, not read Esc plus stray keys
             "\x1b[I", "\x1b[O", "\x1b[1;6A", "\x1b[1;3C", "\x1b[57399u", "\x1b[200~the\x1b[201~"]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


ENDED = {}


def alive(pid):
    """Whether `pid` still runs; records how it ended in ENDED otherwise."""
    if pid in ENDED:
        return False
    finished, status = os.waitpid(pid, os.WNOHANG)
    if finished:
        ENDED[pid] = os.waitstatus_to_exitcode(status)
    return finished == 0


def ending(pid):
    code = ENDED.get(pid)
    return f"exit status {code}" if code is None or code >= 0 else f"killed by signal {-code}"


class Explorer:
    def __init__(self, binary, model, text, columns, rows, folder):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(folder)  # `w` (never sent) or anything else written lands here
            env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", COLORTERM="truecolor")
            env.pop("NO_COLOR", None)
            os.execve(binary, [binary, "--model", model, text], env)
        self.resize(columns, rows)
        self.received = 0
        self.sent = []
        self.tail = b""

    def resize(self, columns, rows):
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    def drain(self, seconds=0.0):
        """Reads whatever the explorer wrote (so it never blocks on a full pty) for `seconds`."""
        deadline = time.monotonic() + seconds
        text = b""
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                return text
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return text
            if not chunk:
                return text
            self.received += len(chunk)
            text = (text + chunk)[-200000:]
            self.tail = (self.tail + chunk)[-4000:]
            if remaining == 0.0 and seconds == 0.0:
                continue

    def send(self, data):
        self.sent = (self.sent + [data])[-50:]
        os.write(self.fd, data.encode() if isinstance(data, str) else data)
        self.drain()


def random_action(rng, explorer, sizes):
    """One random input; returns its kind for the tally."""
    roll = rng.random()
    if roll < 0.45:
        explorer.send(rng.choice(PLAIN_KEYS))
        return "key"
    if roll < 0.70:
        explorer.send(rng.choice(SEQUENCES))
        return "sequence"
    if roll < 0.85:
        x, y = rng.randint(1, 120), rng.randint(1, 40)
        button = rng.choice([0, 0, 0, 64, 65])  # click, wheel up, wheel down
        if rng.random() < 0.5:
            explorer.send(f"\x1b[<{button};{x};{y}M" + (f"\x1b[<{button};{x};{y}m" if button == 0 else ""))
        else:
            explorer.send(b"\x1b[M" + bytes([32 + button, 32 + min(x, 223), 32 + min(y, 223)]))
        return "mouse"
    if roll < 0.90:
        columns, rows = rng.choice(sizes)
        explorer.resize(columns, rows)
        explorer.drain(0.005)
        return "resize"
    if roll < 0.95:
        # A text edit: open the editor, delete a few characters, type a word, commit.
        word = rng.choice(["cat", "runs", "far", "and", "slowly", "home"])
        explorer.send("e")
        explorer.send("\x7f" * rng.randint(0, 4) + " " + word + "\r")
        return "edit"
    if roll < 0.98:
        # The pattern picker: browse, then pick "none" (no bare Esc: at the top level it quits).
        explorer.send("p")
        explorer.send(rng.choice(["\x1b[A", "\x1b[B"]) * rng.randint(0, 4))
        explorer.send("\x15none\r")
        return "picker"
    explorer.send("?")
    explorer.send("?")
    return "help"


def phase(explorer, rng, keys, sizes, rate):
    tally = {}
    samples = []
    for index in range(keys):
        kind = random_action(rng, explorer, sizes)
        tally[kind] = tally.get(kind, 0) + 1
        if rate:
            time.sleep(1.0 / rate)
        if index % 250 == 249:
            if not alive(explorer.pid):
                raise SystemExit(f"FAIL: the explorer ended ({ending(explorer.pid)}) after {index + 1} inputs of this phase; "
                                 f"last inputs {explorer.sent[-12:]}; screen tail {explorer.tail[-400:]!r}")
            samples.append(rss_kib(explorer.pid))
    explorer.resize(120, 40)
    explorer.drain(1.0)  # let the last recompute land
    if not alive(explorer.pid):
        raise SystemExit(f"FAIL: the explorer ended ({ending(explorer.pid)}) at the end of a phase")
    return tally, samples, rss_kib(explorer.pid)


def text_of_tokens(binary, model, count):
    """A text of about `count` tokens (special tokens included) from the sentence repeated."""
    words = []
    while True:
        words += SENTENCE.split()
        text = " ".join(words)
        out = subprocess.run([binary, "tokens", "--model", model, "--format", "json", text],
                             capture_output=True, text=True, check=True).stdout
        tokens = len(json.loads(out)["tokens"])
        if tokens >= count:
            while tokens > count:
                words.pop()
                text = " ".join(words)
                out = subprocess.run([binary, "tokens", "--model", model, "--format", "json", text],
                                     capture_output=True, text=True, check=True).stdout
                tokens = len(json.loads(out)["tokens"])
            return text, tokens


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    release = os.path.join(root, ".build/release/maskscope")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=release if os.path.exists(release) else os.path.join(root, ".build/debug/maskscope"))
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--keys", type=int, default=5000, help="keys per phase (two phases)")
    parser.add_argument("--rate", type=float, default=0, help="keys per second (0: as fast as the pty takes them)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--quit-seconds", type=float, default=1.0)
    parser.add_argument("--rss-growth", type=float, default=0.10)
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)

    text, tokens = text_of_tokens(args.binary, args.model, args.tokens)
    print(f"binary {args.binary}, model {args.model}, text of {tokens} tokens, seed {args.seed}")
    rng = random.Random(args.seed)
    sizes = [(20, 5), (40, 10), (60, 16), (80, 24), (100, 30), (120, 40), (200, 60), (61, 17)]
    with tempfile.TemporaryDirectory(prefix="maskscope-soak-") as folder:
        explorer = Explorer(args.binary, args.model, text, 120, 40, folder)
        try:
            start = time.monotonic()
            explorer.drain(3.0)
            if not alive(explorer.pid):
                raise SystemExit("FAIL: the explorer did not start")
            base = rss_kib(explorer.pid)
            print(f"started: RSS {base / 1024:.1f} MiB")
            results = []
            for number in (1, 2):
                began = time.monotonic()
                tally, samples, rss = phase(explorer, rng, args.keys, sizes, args.rate)
                seconds = time.monotonic() - began
                results.append((statistics.median(samples + [rss]), max(samples + [rss])))
                print(f"phase {number}: {args.keys} inputs in {seconds:.1f} s ({args.keys / seconds:.0f}/s) {tally}; "
                      f"RSS at end {rss / 1024:.1f} MiB, peak {max(samples + [rss]) / 1024:.1f} MiB, "
                      f"samples {[round(s / 1024) for s in samples]} MiB")
            explorer.drain(0.5)
            pressed = time.monotonic()
            os.write(explorer.fd, b"q")
            status = None
            while time.monotonic() - pressed < 10:
                explorer.drain(0.01)
                finished, code = os.waitpid(explorer.pid, os.WNOHANG)
                if finished:
                    status = code
                    break
            quit_seconds = time.monotonic() - pressed
            if status is None:
                raise SystemExit(f"FAIL: q did not end the explorer within 10 s")
            code = os.waitstatus_to_exitcode(status)
            print(f"q quit in {quit_seconds * 1000:.0f} ms with status {code}; {explorer.received / 1e6:.1f} MB of screen output; "
                  f"total {time.monotonic() - start:.0f} s")
            first, second = results
            growth = (second[0] - first[0]) / first[0]
            print(f"median RSS over phase 1 {first[0] / 1024:.1f} MiB, over phase 2 {second[0] / 1024:.1f} MiB: growth {growth * 100:+.1f}%")
            failures = []
            if code != 0:
                failures.append(f"exit status {code}")
            if quit_seconds > args.quit_seconds:
                failures.append(f"q took {quit_seconds:.2f} s (limit {args.quit_seconds} s)")
            if growth > args.rss_growth:
                failures.append(f"median RSS grew {growth * 100:.1f}% over the second phase (limit {args.rss_growth * 100:.0f}%)")
            if failures:
                raise SystemExit("FAIL: " + "; ".join(failures))
            print("PASS")
        finally:
            try:
                os.kill(explorer.pid, signal.SIGKILL)
                os.waitpid(explorer.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


if __name__ == "__main__":
    main()
