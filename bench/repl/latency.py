#!/usr/bin/env python3
"""REPL latency: time from start to the first prompt, and from a keystroke to its echo.

Usage: bench/repl/latency.py [path/to/seednb] [runs]
Runs `seednb repl` on a pseudo-terminal (as a user's terminal would) and prints the
median and best of N runs. Goals (issue 7): first prompt within 50 ms; a keystroke's echo
adds no visible delay (well under the ~10 ms a terminal frame takes). Peers, when installed:
python3 (`>>> `) and lua5.4 (`> `), measured the same way.
"""
import os, pty, select, shutil, statistics, sys, time, tempfile


def spawn(argv, env):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    return pid, fd


def wait_for(fd, needle, timeout=10.0):
    seen = b""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        ready, _, _ = select.select([fd], [], [], 0.005)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
            if needle in seen:
                return time.perf_counter()
    raise RuntimeError(f"no {needle!r} in {seen!r}")


def measure(argv, prompt, runs, env):
    starts, echoes = [], []
    for _ in range(runs):
        begin = time.perf_counter()
        pid, fd = spawn(argv, env)
        starts.append(wait_for(fd, prompt) - begin)
        for key in "abcdefgh":
            sent = time.perf_counter()
            os.write(fd, key.encode())
            echoes.append(wait_for(fd, key.encode()) - sent)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    return starts, echoes


def row(name, starts, echoes):
    ms = lambda s: f"{s * 1000:.1f} ms"
    print(f"| {name} | {ms(statistics.median(starts))} | {ms(min(starts))} | {ms(statistics.median(echoes))} | {ms(max(echoes))} |")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    seednb = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build/release/seednb")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    env = dict(os.environ, TERM="xterm", NO_COLOR="1", XDG_STATE_HOME=tempfile.mkdtemp())
    print("| REPL | first prompt (median) | first prompt (best) | keystroke echo (median) | keystroke echo (worst) |")
    print("|---|---|---|---|---|")
    row("seednb repl", *measure([seednb, "repl"], b"seed> ", runs, env))
    if shutil.which("python3"):
        row("python3 -q", *measure([shutil.which("python3"), "-q"], b">>> ", runs, env))
    if shutil.which("lua5.4"):
        row("lua5.4", *measure([shutil.which("lua5.4")], b"> ", runs, env))


if __name__ == "__main__":
    main()
