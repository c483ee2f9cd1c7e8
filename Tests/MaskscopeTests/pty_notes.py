#!/usr/bin/env python3
"""Runs a lesson's presenter and its notes window (`maskscope lesson --notes`) in two
pseudo-terminals, parses both with pyte, and reports what the notes window showed as the
presenter stepped: one JSON object on standard output.

    python3 pty_notes.py BINARY LESSON RUNTIME_DIR

Keys sent to the presenter: n, N, Esc, q, q. Output keys: waiting (notes before the
presenter starts), steps (the notes window's step line after each step key), after_esc_alive,
presenter_exit (exit status after q q, None if it did not end), after_quit (notes lines once
the presenter is gone), notes_exit (exit status after SIGINT).
"""
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_explorer import Feeder  # noqa: E402

import fcntl  # noqa: E402
import pty  # noqa: E402
import select  # noqa: E402
import struct  # noqa: E402
import termios  # noqa: E402

import pyte  # noqa: E402


class Terminal:
    def __init__(self, binary, args, env, cols=80, rows=24):
        self.cols, self.rows = cols, rows
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execve(binary, [binary] + args, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = pyte.Screen(cols, rows)
        self.feeder = Feeder(pyte.ByteStream(self.screen))
        self.status = None

    def pump(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.feeder.feed(chunk)

    def lines(self):
        return [self.screen.display[y].rstrip() for y in range(self.rows)]

    def exited(self):
        if self.status is None:
            done, code = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = os.waitstatus_to_exitcode(code)
        return self.status is not None

    def kill(self):
        if not self.exited():
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)


def wait_for(terminals, predicate, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        for terminal in terminals:
            terminal.pump(0.05)
        if predicate():
            return True
    return False


def main():
    binary, lesson, runtime = sys.argv[1], sys.argv[2], sys.argv[3]
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "MASKSCOPE_MODEL")}
    env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "XDG_RUNTIME_DIR": runtime})
    result = {}
    notes = Terminal(binary, ["lesson", "--notes", lesson], env)
    presenter = None
    try:
        wait_for([notes], lambda: any("Waiting" in line for line in notes.lines()), 20)
        result["waiting"] = notes.lines()
        presenter = Terminal(binary, ["lesson", "--model", "builtin", lesson], env)

        def step_line():
            return next((line for line in notes.lines() if line.startswith("STEP ")), None)

        steps = []
        wait_for([notes, presenter], lambda: (step_line() or "").startswith("STEP 1 /"), 30)
        steps.append(step_line())
        result["first_notes"] = notes.lines()
        for key, expected in ((b"n", "STEP 2 /"), (b"N", "STEP 1 /"), (b" ", "STEP 2 /")):
            os.write(presenter.fd, key)
            wait_for([notes, presenter], lambda: (step_line() or "").startswith(expected), 20)
            steps.append(step_line())
        result["steps"] = steps
        os.write(presenter.fd, b"\x1b")
        presenter.pump(1.0)
        result["after_esc_alive"] = not presenter.exited()
        os.write(presenter.fd, b"q")
        presenter.pump(0.5)
        result["alive_after_one_q"] = not presenter.exited()
        os.write(presenter.fd, b"q")
        wait_for([notes, presenter], lambda: presenter.exited(), 15)
        result["presenter_exit"] = presenter.status
        wait_for([notes], lambda: any("No presenter" in line for line in notes.lines()), 15)
        result["after_quit"] = notes.lines()
        os.kill(notes.pid, signal.SIGINT)
        wait_for([notes], lambda: notes.exited(), 10)
        result["notes_exit"] = notes.status
    finally:
        notes.kill()
        if presenter is not None:
            presenter.kill()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
