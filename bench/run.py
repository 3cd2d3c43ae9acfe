"""Runs seednb's benchmarks side by side with their peers, in one run, and reports ratios.

Usage: bench/run [suite ...]   (suites: interpreter, text, llm, cache, render, repl, remote,
       size, all by default; and instructions, only when named)

Whole processes are timed with hyperfine (median of several runs after a warm-up); a
benchmark's peers run in the same hyperfine call, so that a ratio compares like with like
on a noisy machine. The interpreter's programs, short enough for a burst of load to move a
ratio, run interleaved with their peers instead (`interleaved_medians`). Every program's
output is checked to be the same as its peers'. The table is printed and written to
bench/results.md.
"""
import importlib.util
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SEEDNB = str(ROOT / ".build/release/seednb")
LOOPBACK = str(ROOT / ".build/release/openai-loopback")
# Debian's CPython, not whatever `python3` a version manager puts first on PATH: a shim
# script would add its own start-up to every Python time.
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"
KEY = "sk-bench-not-a-real-key"

rows = []  # (benchmark, seed, peer, ratio text, goal, met)
program_rows = []  # the interpreter suite's: (program, seed, CPython, Lua, seed / CPython, seed / Lua, met)


def medians(commands, runs=5, env=None):
    """Median wall seconds of each command, timed in one hyperfine run (each command's runs in a row)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        subprocess.run(
            ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--export-json", export.name] + commands,
            env=env, check=True, capture_output=True)
        return [result["median"] for result in json.load(open(export.name))["results"]]


def interleaved_medians(commands, rounds):
    """Median wall seconds of each command, its runs interleaved with its peers' runs.

    hyperfine times one command's runs in a row, so a burst of load on this shared machine
    lands on one side of a ratio only; a short program's ratio moved by 30% between two runs
    that way. Here each round runs every command once, in an order that rotates from round to
    round, so load that comes and goes falls on all of them alike. A first round warms the
    caches and is not counted."""
    times = [[] for _ in commands]
    argvs = [command.split() for command in commands]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for round in range(rounds + 1):
            for step in range(len(argvs)):
                index = (round + step) % len(argvs)
                argv = argvs[index]
                start = time.perf_counter()
                pid = os.posix_spawnp(argv[0], argv, os.environ,
                                      file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
                _, status = os.waitpid(pid, 0)
                elapsed = time.perf_counter() - start
                if os.waitstatus_to_exitcode(status) != 0:
                    sys.exit(f"{' '.join(argv)} failed with status {os.waitstatus_to_exitcode(status)}")
                if round > 0:
                    times[index].append(elapsed)
    finally:
        os.close(devnull)
    return [statistics.median(runs) for runs in times]


def output(command, env=None):
    return " ".join(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout.split())


def interpreter_suite():
    """Each program in bench/interpreter/ (NAME.seed with its twins NAME.py and NAME.lua, which
    print the same result) timed beside CPython and Lua 5.4: one row per program, and the
    geometric means of seed's time over each peer's."""
    lua_ratios = []
    ratios = []
    # The first six in their old order, then every other program in the folder by name; a
    # name that starts with "_" is a module the programs import, not a program.
    first = ["fib", "loop", "strings", "dicts", "cosine", "closures"]
    others = sorted(
        path.stem for path in (BENCH / "interpreter").glob("*.seed")
        if path.stem not in first and not path.stem.startswith("_"))
    for name in first + others:
        programs = {
            "seed": f"{SEEDNB} run {BENCH}/interpreter/{name}.seed",
            "python3": f"{PYTHON} {BENCH}/interpreter/{name}.py",
            "lua5.4": f"lua5.4 {BENCH}/interpreter/{name}.lua",
        }
        for twin in [f"{name}.py", f"{name}.lua"]:
            if not (BENCH / "interpreter" / twin).exists():
                sys.exit(f"{name}: bench/interpreter/{twin} is missing; every program needs its CPython and Lua twins")
        results = {language: output(command.split()) for language, command in programs.items()}
        if len(set(results.values())) != 1:
            sys.exit(f"{name}: the programs disagree: {results}")
        seed, python, lua = interleaved_medians(list(programs.values()), rounds=15)
        ratios.append(seed / python)
        lua_ratios.append(seed / lua)
        program_rows.append((name, f"{seed:.3f} s", f"{python:.3f} s", f"{lua:.3f} s", f"{seed / python:.2f}",
                             f"{seed / lua:.2f}", seed <= python))
    mean, lua_mean = (math.exp(sum(math.log(r) for r in rs) / len(rs)) for rs in (ratios, lua_ratios))
    slower = sum(1 for r in ratios if r > 1)
    rows.append((f"interpreter: programs slower than CPython (of {len(ratios)})", "", "", f"{slower}", "0", slower == 0))
    rows.append(("interpreter: geometric mean seed / CPython", "", "", f"{mean:.2f}", "≤ 0.5", mean <= 0.5))
    rows.append(("interpreter: geometric mean seed / Lua 5.4", "", "", f"{lua_mean:.2f}", "≤ 1.0 (aim)", lua_mean <= 1.0))


def text_suite():
    """Each program in bench/text/ (split, lines, replace, contains and index_of, starts_with
    and ends_with, trim, upper and lower, each on every answer and on the whole text) run on
    50,000 answers in French, German and Japanese (5.6 MB) and on the same answers spelt in
    ASCII (5.4 MB): the time of its string operations beyond ASCII over their time in ASCII.

    A program's operations take its time less that of generate.seed, which only makes the text,
    timed on the same text in the same rounds. The programs import `_text`, which is
    _accented.seed or _ascii.seed, copied as such into a folder of each kind."""
    programs = sorted(path.stem for path in (BENCH / "text").glob("*.seed")
                      if not path.stem.startswith("_") and path.stem != "generate")
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("ascii", "accented"):
            target = Path(folder) / kind
            target.mkdir()
            for path in (BENCH / "text").glob("*.seed"):
                if not path.stem.startswith("_"):
                    shutil.copy(path, target)
            shutil.copy(BENCH / "interpreter" / "_answers.seed", target)
            shutil.copy(BENCH / "text" / f"_{kind}.seed", target / "_text.seed")
        commands = [f"{SEEDNB} run {folder}/{kind}/{name}.seed"
                    for name in ["generate"] + programs for kind in ("ascii", "accented")]
        times = dict(zip([(name, kind) for name in ["generate"] + programs for kind in ("ascii", "accented")],
                         interleaved_medians(commands, rounds=15)))
    for name in programs:
        ascii_time = times[(name, "ascii")] - times[("generate", "ascii")]
        accented_time = times[(name, "accented")] - times[("generate", "accented")]
        ratio = accented_time / ascii_time
        rows.append((f"text beyond ASCII: {name} (time over the same text in ASCII)", f"{accented_time * 1000:.1f} ms",
                     f"{ascii_time * 1000:.1f} ms", f"{ratio:.2f}", "≤ 1.5", ratio <= 1.5))


class Loopback:
    """The loopback OpenAI server as a process, for the duration of a with-block."""

    def __init__(self, delay_ms):
        self.delay_ms = delay_ms

    def __enter__(self):
        self.process = subprocess.Popen(
            [LOOPBACK, "--delay-ms", str(self.delay_ms)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            sys.exit(f"openai-loopback did not start: {line!r}")
        self.address = line.removeprefix("listening on ")
        self.env = dict(os.environ, OPENAI_BASE_URL=f"http://{self.address}/v1", OPENAI_API_KEY=KEY)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()


def llm_suite():
    with Loopback(delay_ms=200) as server:
        parallel, empty = medians(
            [f"{SEEDNB} run {BENCH}/llm/parallel16.seed", f"{SEEDNB} run {BENCH}/llm/empty.seed"], env=server.env)
        calls = parallel - empty
        rows.append(("16 chat calls in parallel, 200 ms each", f"{calls * 1000:.0f} ms", "200 ms (one call)",
                     f"{calls / 0.2:.2f}", "≤ 1.25", calls / 0.2 <= 1.25))
    with Loopback(delay_ms=0) as server, tempfile.TemporaryDirectory() as folder:
        count = 2000
        body = Path(folder) / "body.json"
        body.write_text(json.dumps({"messages": [{"content": "hello", "role": "user"}], "model": "gpt-4o-mini", "seed": 1},
                                   separators=(",", ":"), sort_keys=True))
        def config(n):
            path = Path(folder) / f"curl-{n}.cfg"
            request = (f'url = "http://{server.address}/v1/chat/completions"\n'
                       'header = "Content-Type: application/json"\n'
                       f'header = "Authorization: Bearer {KEY}"\n'
                       f'data = "@{body}"\noutput = "/dev/null"\n')
            path.write_text("next\n".join([request] * n))
            return str(path)
        many, one = config(count), config(1)
        seed_many, seed_empty, curl_many, curl_one = medians(
            [f"{SEEDNB} run {BENCH}/llm/sequential.seed", f"{SEEDNB} run {BENCH}/llm/empty.seed",
             f"curl -s -K {many}", f"curl -s -K {one}"], runs=10, env=server.env)
        seed_each = (seed_many - seed_empty) / count
        curl_each = (curl_many - curl_one) / (count - 1)
        rows.append(("chat call overhead, server answers at once", f"{seed_each * 1e6:.0f} µs", f"{curl_each * 1e6:.0f} µs (curl)",
                     f"{seed_each / curl_each:.2f}", "≤ 1.05 and < 1 ms", seed_each / curl_each <= 1.05 and seed_each < 0.001))


def cache_suite():
    """The cookbook notebook re-run from a full cache, beside Jupyter running an equivalent notebook.

    seednb fills the cache of a copy of notebooks/reproducible-outputs.seednb with one run on the
    local model (scripts/setup-local-model), then re-runs it with --frozen: every chat and
    embedding call answered from the store. Its peers execute bench/cache/equivalent.ipynb, ten
    cells doing the same work with canned answers and no network, with `jupyter nbconvert
    --execute` and `papermill`, installed by bench/cache/setup-peers into a venv of their own.
    """
    venv = Path(subprocess.run([str(BENCH / "cache/setup-peers")], check=True, stdout=subprocess.PIPE,
                               text=True).stdout.split()[-1])
    jupyter_home = venv / "home"
    # Jupyter and IPython keep their settings, runtime files and history inside the venv.
    peer_env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", JUPYTER_CONFIG_DIR=str(jupyter_home / "config"),
                    JUPYTER_DATA_DIR=str(jupyter_home / "data"), JUPYTER_RUNTIME_DIR=str(jupyter_home / "runtime"),
                    IPYTHONDIR=str(jupyter_home / "ipython"))
    for name in ["OPENAI_BASE_URL", "OPENAI_API_KEY"]:
        peer_env.pop(name, None)
    equivalent = BENCH / "cache/equivalent.ipynb"
    with tempfile.TemporaryDirectory() as folder:
        notebook = Path(folder) / "reproducible-outputs.seednb"
        shutil.copy(ROOT / "notebooks/reproducible-outputs.seednb", notebook)
        # Parameters are part of the cell keys: the filling run and the timed one use the same.
        run = f"{SEEDNB} run {notebook} --backend local -p max_tokens=40"
        filled = subprocess.run(run.split(), env=peer_env, capture_output=True, text=True)
        if filled.returncode != 0:
            sys.exit(f"cache: the run that fills the cache failed (is scripts/setup-local-model done?):\n{filled.stderr}")
        replay = output((run + " --frozen").split(), env=peer_env)
        restored = re.search(r"── (\d+) cells \((\d+) cached\) · requests: 0 live, (\d+) from the store", replay)
        if not restored or restored[1] != restored[2]:
            sys.exit(f"cache: the --frozen re-run did not restore every cell from the cache:\n{replay}")
        commands = [
            run + " --frozen",
            f"{venv}/bin/jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=seednb-bench"
            f" {equivalent} --output-dir {folder} --output nbconvert-out",
            f"{venv}/bin/papermill --no-progress-bar -k seednb-bench -p max_tokens 40 {equivalent} {folder}/papermill-out.ipynb",
        ]
        for command in commands[1:]:
            subprocess.run(command.split(), env=peer_env, check=True, capture_output=True)
        for executed in ["nbconvert-out.ipynb", "papermill-out.ipynb"]:
            cells = [cell for cell in json.loads((Path(folder) / executed).read_text())["cells"]
                     if "injected-parameters" not in cell["metadata"].get("tags", [])]
            texts = ["".join(out.get("text", "")) for cell in cells for out in cell.get("outputs", [])]
            if len(cells) != 10 or any(out.get("output_type") == "error" for cell in cells for out in cell["outputs"]) \
                    or "distinct answers" not in texts[-1]:
                sys.exit(f"cache: {executed} did not run all ten cells to the summary table")
        seed, nbconvert, papermill = medians(commands, runs=10, env=peer_env)
    rows.append((f"cookbook notebook re-run from a full cache ({restored[1]} cells, {restored[3]} calls)",
                 f"{seed * 1000:.0f} ms", "", "", "≤ 50 ms", seed <= 0.05))
    rows.append(("cached re-run vs jupyter nbconvert --execute (10 cells, no network)", f"{seed * 1000:.0f} ms",
                 f"{nbconvert:.2f} s", f"{seed / nbconvert:.3f}", "anchor", None))
    rows.append(("cached re-run vs papermill (10 cells, no network)", f"{seed * 1000:.0f} ms",
                 f"{papermill:.2f} s", f"{seed / papermill:.3f}", "anchor", None))


class Nginx:
    """Debian's nginx with WebDAV PUT on a free loopback port, as a remote cache, for a with-block;
    its configuration, files and logs in a temporary folder."""

    def __enter__(self):
        import socket
        self.folder = Path(tempfile.mkdtemp(prefix="seednb-bench-nginx-"))
        for name in ["root", "temp", "logs"]:
            (self.folder / name).mkdir()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        user = "user root;\n" if os.getuid() == 0 else ""
        temp = self.folder / "temp"
        (self.folder / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {self.folder}/nginx.pid;\nevents {{ worker_connections 512; }}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
            f"  server {{\n    listen 127.0.0.1:{self.port};\n    root {self.folder}/root;\n"
            f"    location / {{ dav_methods PUT; create_full_put_path on; client_max_body_size 64m; }}\n  }}\n}}\n")
        self.process = subprocess.Popen(["nginx", "-c", str(self.folder / "nginx.conf"), "-p", str(self.folder),
                                         "-e", str(self.folder / "logs/error.log")])
        import time
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.02)
        else:
            sys.exit(f"nginx did not start: {(self.folder / 'logs/error.log').read_text()}")
        self.url = f"http://127.0.0.1:{self.port}/seednb"
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def remote_suite():
    """The cookbook notebook replayed from a remote cache alone (goal: 100 ms on loopback).

    One live run on the local model (timed once: it takes a minute or more) fills the store of a
    copy of notebooks/reproducible-outputs.seednb and uploads every answer to nginx with WebDAV
    on loopback. Then, in one hyperfine run: a second copy in a folder with no store at all
    (removed before each run) replays --frozen from the remote cache, beside the first copy
    replaying --frozen from its local store.
    """
    import time
    with tempfile.TemporaryDirectory() as folder, Nginx() as nginx:
        env = dict(os.environ)
        for name in ["OPENAI_BASE_URL", "OPENAI_API_KEY", "SEEDNB_REMOTE_CACHE"]:
            env.pop(name, None)
        notebooks = []
        for machine in ["first", "second"]:
            (Path(folder) / machine).mkdir()
            notebooks.append(Path(folder) / machine / "reproducible-outputs.seednb")
            shutil.copy(ROOT / "notebooks/reproducible-outputs.seednb", notebooks[-1])
        first, second = notebooks
        run = f"{SEEDNB} run {{}} --backend local -p max_tokens=40"
        started = time.monotonic()
        filled = subprocess.run((run.format(first) + f" --remote-cache {nginx.url}").split(), env=env,
                                capture_output=True, text=True)
        live = time.monotonic() - started
        if filled.returncode != 0 or "warning" in filled.stderr:
            sys.exit(f"remote: the run that fills the caches failed (is scripts/setup-local-model done?):\n{filled.stderr}")
        from_remote = run.format(second) + f" --frozen --remote-cache {nginx.url} --remote-cache-read-only"
        from_store = run.format(first) + " --frozen"
        replays = [output(from_remote.split(), env=env), output(from_store.split(), env=env)]
        for replay in replays:
            if not re.search(r"requests: 0 live, \d+ ", replay):
                sys.exit(f"remote: a --frozen replay did not answer every request from a cache:\n{replay}")
        # The outputs, without the cell headers (live or cached) and the summary line.
        cells = lambda text: re.sub(r"── [^─]* ──", "", re.sub(r"── \d+ cells \(.*$", "", text))
        if cells(replays[0]) != cells(replays[1]):
            sys.exit("remote: the replay from the remote cache does not print what the replay from the store prints")
        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            subprocess.run(
                ["hyperfine", "-N", "--warmup", "1", "--runs", "10", "--export-json", export.name,
                 "--prepare", f"rm -rf {second.parent}/.seednb", "--prepare", "true", from_remote, from_store],
                env=env, check=True, capture_output=True)
            remote, local = [result["median"] for result in json.load(open(export.name))["results"]]
    rows.append(("cookbook notebook replayed from the remote cache alone (empty store, nginx on loopback)",
                 f"{remote * 1000:.0f} ms", f"{live:.1f} s (live run)", f"{remote / live:.4f}", "≤ 100 ms", remote <= 0.1))
    rows.append(("replay from the remote cache vs from the local store", f"{remote * 1000:.0f} ms",
                 f"{local * 1000:.0f} ms", f"{remote / local:.2f}", "anchor", None))


def render_suite():
    """`seednb render` of a generated 500-cell notebook to HTML, from a full cache (goal: 200 ms).

    Each cell prints, shows a table, and every fifth a Markdown output, every tenth a bar chart;
    prose stands between the cells. One run fills the cache; then the render is timed.
    """
    with tempfile.TemporaryDirectory() as folder:
        notebook = Path(folder) / "five-hundred.seednb"
        parts = ["---\ntitle: Five hundred cells\nparams:\n  scale: 3\n---\n\n# Five hundred cells\n"]
        for i in range(500):
            lines = [f"let v{i} = {i} * scale", f'print("cell {i}: \\(v{i}) <b>&</b>")',
                     f'display(table([["a", v{i}], ["b", v{i} + 1], ["c", "text with | and *"]], headers: ["key", "value"]))']
            if i % 5 == 0:
                lines.append(f'display(markdown("**cell {i}**: a [link](https://example.com) and `code`"))')
            if i % 10 == 0:
                lines.append(f'display(chart("bar", ["one": v{i}, "two": v{i} / 2 + 1], title: "cell {i}"))')
            code = "\n".join(lines)
            parts.append(f"\nProse before cell {i}, with *emphasis* and a list:\n\n- one\n- two\n\n```seed id=c{i}\n{code}\n```\n")
        notebook.write_text("".join(parts))
        filled = subprocess.run([SEEDNB, "run", str(notebook)], capture_output=True, text=True)
        if filled.returncode != 0 or "── 500 cells (500 live)" not in filled.stdout:
            sys.exit(f"render: the run that fills the cache failed:\n{filled.stderr}{filled.stdout[-500:]}")
        report = Path(folder) / "report.html"
        render = [SEEDNB, "render", str(notebook), "--to", "html", "-o", str(report)]
        subprocess.run(render, check=True, capture_output=True)
        html = report.read_text()
        if html.count('<section class="cell live"') != 500 or html.count("<svg") != 50:
            sys.exit("render: the report does not show the 500 cells and 50 charts")
        seconds, = medians([" ".join(render)], runs=10)
    rows.append(("render a 500-cell notebook to HTML from the cache", f"{seconds * 1000:.0f} ms", "", "",
                 "≤ 200 ms", seconds <= 0.2))


def repl_suite():
    """`seednb repl` on a pseudo-terminal, as bench/repl/latency.py measures it: the time to the
    first prompt beside `python3 -q` and Lua's, and the echo of a keystroke (issue 7's goals:
    the first prompt within 50 ms, an echo well under the 10 ms of a terminal frame)."""
    spec = importlib.util.spec_from_file_location("latency", BENCH / "repl/latency.py")
    latency = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(latency)
    env = dict(os.environ, TERM="xterm", NO_COLOR="1", XDG_STATE_HOME=tempfile.mkdtemp())
    runs = 20
    seed_starts, seed_echoes = latency.measure([SEEDNB, "repl"], b"seed> ", runs, env)
    python_starts, python_echoes = latency.measure([PYTHON, "-q"], b">>> ", runs, env)
    lua_starts, _ = latency.measure([shutil.which("lua5.4") or "lua5.4"], b"> ", runs, env)
    start, python_start, lua_start = (statistics.median(t) for t in (seed_starts, python_starts, lua_starts))
    rows.append(("REPL: start to the first prompt (vs python3 -q)", f"{start * 1000:.1f} ms", f"{python_start * 1000:.1f} ms",
                 f"{start / python_start:.2f}", "≤ 50 ms", start <= 0.05))
    rows.append(("REPL: start to the first prompt (vs Lua 5.4)", f"{start * 1000:.1f} ms", f"{lua_start * 1000:.1f} ms",
                 f"{start / lua_start:.2f}", "anchor", None))
    echo, python_echo = max(seed_echoes), max(python_echoes)
    rows.append(("REPL: a keystroke's echo, slowest of 160", f"{echo * 1000:.2f} ms", f"{python_echo * 1000:.2f} ms (python3)",
                 f"{echo / python_echo:.2f}", "< 10 ms", echo < 0.01))


def tree_bytes(path, skip=()):
    """Bytes of the regular files under `path`, not following links, leaving out folders named in `skip`."""
    total = 0
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = [name for name in subfolders if name not in skip]
        for name in files:
            file = os.path.join(folder, name)
            if os.path.isfile(file) and not os.path.islink(file):
                total += os.path.getsize(file)
    return total


def linked_libraries(binary, names):
    """The shared libraries among `names` (prefixes) that `binary` loads, as ldd resolves them."""
    found = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    paths = re.findall(r"=> (\S+) ", found)
    return [path for path in paths if any(os.path.basename(path).startswith(name) for name in names)]


def size_suite():
    """What a user downloads and a container image carries: the release seednb (one file, the
    Swift runtime, Foundation, SQLite and cmark linked in; libcurl is the system's, loaded on
    the first request) beside CPython (its executable, libpython when shared, and its standard
    library without site-packages) and Lua (its executable and liblua)."""
    seed = os.path.getsize(SEEDNB)
    python_binary = os.path.realpath(shutil.which(PYTHON) or PYTHON)
    version = output([PYTHON, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"])
    stdlib = output([PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
    python = os.path.getsize(python_binary) + sum(os.path.getsize(os.path.realpath(p)) for p in linked_libraries(python_binary, ["libpython"]))
    python += tree_bytes(stdlib, skip={"site-packages", "dist-packages", "__pycache__", "test"})
    lua_binary = os.path.realpath(shutil.which("lua5.4") or "lua5.4")
    lua = os.path.getsize(lua_binary) + sum(os.path.getsize(os.path.realpath(p)) for p in linked_libraries(lua_binary, ["liblua"]))
    megabytes = lambda size: f"{size / 1e6:.1f} MB"
    rows.append((f"size on disk (vs CPython {version}: executable and standard library)", megabytes(seed), megabytes(python),
                 f"{seed / python:.2f}", "anchor", None))
    rows.append(("size on disk (vs Lua 5.4: executable and liblua)", megabytes(seed), megabytes(lua), f"{seed / lua:.0f}",
                 "anchor", None))


def instruction_count(argv):
    """The instructions a whole process executes, as valgrind counts them: unlike time, the
    same in every run, whatever else the machine is doing."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                            check=True, capture_output=True, text=True)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if not match:
        sys.exit(f"valgrind gave no instruction count for {' '.join(argv)}:\n{result.stderr[-2000:]}")
    return int(match.group(1))


def instructions_suite():
    """Each interpreter program's instruction count beside its CPython twin's. Not a goal,
    which is time, but the one measure this shared machine does not disturb: it decides
    whether a change made seed faster when the timings of two runs disagree."""
    from concurrent.futures import ThreadPoolExecutor
    names = sorted(path.stem for path in (BENCH / "interpreter").glob("*.seed") if not path.stem.startswith("_"))
    argvs = [argv for name in names for argv in
             ([SEEDNB, "run", f"{BENCH}/interpreter/{name}.seed"], [PYTHON, f"{BENCH}/interpreter/{name}.py"])]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = list(pool.map(instruction_count, argvs))
    ratios = []
    for index, name in enumerate(names):
        seed, python = counts[2 * index], counts[2 * index + 1]
        ratios.append(seed / python)
        rows.append((f"instructions: {name}", f"{seed / 1e6:,.0f} M", f"{python / 1e6:,.0f} M (CPython)",
                     f"{seed / python:.2f}", "anchor", None))
    mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    rows.append(("instructions: geometric mean seed / CPython", "", "", f"{mean:.2f}", "anchor", None))


SUITES = {"interpreter": interpreter_suite, "text": text_suite, "llm": llm_suite, "cache": cache_suite, "render": render_suite,
          "repl": repl_suite, "remote": remote_suite,
          "size": size_suite, "instructions": instructions_suite}
# Run only when asked for: valgrind takes minutes where the timings take seconds.
DEFAULT_SUITES = [name for name in SUITES if name != "instructions"]


def main():
    chosen = sys.argv[1:] or DEFAULT_SUITES
    for name in chosen:
        if name not in SUITES:
            sys.exit(f"unknown suite {name!r}; the suites are: {', '.join(SUITES)}")
        SUITES[name]()
    tables = []
    if program_rows:
        lines = ["| program | seednb | CPython | Lua 5.4 | seed / CPython (goal ≤ 1.0) | seed / Lua | met |",
                 "|---|---|---|---|---|---|---|"]
        for name, seed, python, lua, python_ratio, lua_ratio, met in program_rows:
            lines.append(f"| {name} | {seed} | {python} | {lua} | {python_ratio} | {lua_ratio} | {'yes' if met else 'no'} |")
        tables.append("\n".join(lines))
    lines = ["| benchmark | seednb | peer | ratio | goal | met |", "|---|---|---|---|---|---|"]
    for name, seed, peer, ratio, goal, met in rows:
        verdict = "" if met is None else ("yes" if met else "no")
        lines.append(f"| {name} | {seed} | {peer} | {ratio} | {goal} | {verdict} |")
    tables.append("\n".join(lines))
    table = "\n\n".join(tables)
    print(table)
    machine = subprocess.run(["uname", "-srm"], capture_output=True, text=True).stdout.strip()
    (BENCH / "results.md").write_text(
        "# Benchmark results\n\nWritten by `bench/run`; medians of whole-process wall times, peers timed in the same run"
        f" on {machine} with {os.cpu_count()} cores.\n\n{table}\n")


if __name__ == "__main__":
    main()
