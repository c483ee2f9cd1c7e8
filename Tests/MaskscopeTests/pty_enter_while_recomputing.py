#!/usr/bin/env python3
"""Runs the real explorer on a long text in a pseudo-terminal (screen parsed by pyte, as in
pty_explorer.py) and presses Enter in the text editor while the first recompute still runs:
a new text must not wait for the old text's recompute to finish.

    python3 pty_enter_while_recomputing.py BINARY MODEL TEXT

Prints one JSON object: first_frame_seconds (start to the key hints), editor_open_seconds
('e' to the editor on screen), editor_closed_seconds (Enter to the editor gone, or null
after 60 s), recomputing_at_enter (the status line still said "recomputing" when Enter was
pressed), message (the line under the status once the editor closed).
"""
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time

import pyte

from pty_explorer import Feeder


def main():
    binary, model, text = sys.argv[1], sys.argv[2], sys.argv[3]
    cols, rows = 100, 30
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TMUX")}
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execve(binary, [binary, "--model", model, text], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    screen = pyte.Screen(cols, rows)
    feeder = Feeder(pyte.ByteStream(screen))

    def pump(seconds):
        end = time.time() + seconds
        while True:
            ready, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
            if not ready:
                return
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            feeder.feed(chunk)

    def shows(fragment):
        return any(fragment in line for line in screen.display)

    def seconds_until(predicate, limit):
        start = time.time()
        while not predicate():
            if time.time() - start > limit:
                return None
            pump(0.005)
        return time.time() - start

    result = {"first_frame_seconds": seconds_until(lambda: shows("q quit"), 120)}
    os.write(fd, b"e")
    result["editor_open_seconds"] = seconds_until(lambda: shows("Edit the text"), 60)
    os.write(fd, b" cat")
    pump(0.2)
    result["recomputing_at_enter"] = "recomputing" in screen.display[0]
    os.write(fd, b"\r")
    result["editor_closed_seconds"] = seconds_until(lambda: not shows("Edit the text"), 60)
    result["message"] = screen.display[1].strip()
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
