#!/usr/bin/env python3
"""Runs the real maskscope explorer in a pseudo-terminal, parses its output with pyte (a
terminal emulator from PyPI), and prints what a person would see as one JSON object.

Used by ExplorerPtyTests.swift; tmux's capture-pane drops cells erased in one go, so the
raw bytes go through an emulator instead.

    python3 pty_explorer.py BINARY COLS ROWS TERM COLORTERM -- ARGS...

Output keys: first_frame (screen lines once the key hints appear), truecolor_sgr and
palette_sgr (whether the raw output holds 24-bit `38;2`/`48;2` or 256-color `38;5`/`48;5`
color sequences), first_cell_colors (pyte's fg/bg of a few heatmap cells), alive_after_esc,
after_esc (screen lines), exit_status after q (None when it did not exit).
"""
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

import pyte

# pyte reads only semicolon SGR; ncurses' direct-color entries write ITU colons (38:2::r:g:b).
COLON_SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def semicolons(data: bytes) -> bytes:
    def fix(match):
        params = match.group(1).replace(b"::", b":").replace(b":", b";")
        return b"\x1b[" + params + b"m"
    return COLON_SGR.sub(fix, data)


# An escape sequence can be split between two reads: hold back an unfinished one.
UNFINISHED = re.compile(rb"\x1b(\[[0-9;:]*)?$")


class Feeder:
    def __init__(self, stream):
        self.stream = stream
        self.pending = bytearray()

    def feed(self, chunk):
        self.pending += chunk
        match = UNFINISHED.search(self.pending)
        cut = match.start() if match else len(self.pending)
        self.stream.feed(semicolons(bytes(self.pending[:cut])))
        del self.pending[:cut]


def main():
    binary, cols, rows, term, colorterm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    args = sys.argv[sys.argv.index("--") + 1:]
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "TMUX", "VTE_VERSION", "KONSOLE_VERSION",
                                                    "KITTY_WINDOW_ID", "ALACRITTY_WINDOW_ID", "TERM_PROGRAM")}
    env.update({"TERM": term, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    if colorterm:
        env["COLORTERM"] = colorterm
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execve(binary, [binary] + args, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    screen = pyte.Screen(cols, rows)
    feeder = Feeder(pyte.ByteStream(screen))
    raw = bytearray()

    def pump(seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            raw.extend(chunk)
            feeder.feed(chunk)
        return True

    def lines():
        return [screen.display[y] for y in range(rows)]

    def wait_for(predicate, seconds=20):
        end = time.time() + seconds
        while time.time() < end:
            pump(0.1)
            if predicate(lines()):
                return True
        return False

    result = {}
    wait_for(lambda ls: "q quit" in ls[-1] and "recomputed" in ls[0])
    result["first_frame"] = lines()
    data = bytes(raw)
    result["truecolor_sgr"] = bool(re.search(rb"\x1b\[[0-9;:]*[34]8[;:]2[;:]", data))
    result["palette_sgr"] = bool(re.search(rb"\x1b\[[0-9;:]*[34]8;5;", data))
    result["colors_seen"] = sorted({str(screen.buffer[y][x].bg) for y in range(rows) for x in range(cols)})[:40]

    os.write(fd, b"\x1b")
    pump(1.0)
    done, _ = os.waitpid(pid, os.WNOHANG)
    result["alive_after_esc"] = done == 0
    result["after_esc"] = lines()

    os.write(fd, b"q")
    status = None
    end = time.time() + 10
    while time.time() < end:
        pump(0.1)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    result["exit_status"] = status
    print(json.dumps(result))


if __name__ == "__main__":
    main()
