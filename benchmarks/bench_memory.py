"""Peak memory of `framing score` on long article bodies (prints figures; not a test).

    python benchmarks/bench_memory.py                       # every case, one worker
    python benchmarks/bench_memory.py --only long --scale 0.1
    python benchmarks/bench_memory.py --cap-mb 4000         # stop a run above 4 GB
    python benchmarks/bench_memory.py --only distinct distinct80 --workers 1 2

Cases (CSV with `id,headline,body`, scored to CSV with the default options unless noted):

* ``articles``: 10,000 articles of about 5 KB each (50 MB);
* ``long``: 2,000 bodies of about 99 KB each, just under the default `--max-chars` (198 MB);
* ``huge``: 300 bodies of about 290 KB with `--max-chars 300000` (87 MB): past the default
  limits, where the bound per worker depends on `--max-chars`;
* ``giant``: 5 bodies of about 1.9 MB with `--max-chars 2000000`, each a chunk of its own;
* ``headlines``: 300,000 headlines (no body), the common case, to check the speed;
* ``distinct``, ``distinct20``, ``distinct40``, ``distinct80``: 500, 1,000, 2,000 and 4,000
  bodies of 10 distinct random 2,000-letter words each (10, 20, 40 and 80 MB:
  words such as base64, hashes or URLs, each new to every cache).

Bodies are PTC articles (--data-dir, $FRAMING_DATA_DIR or ../shared/data) joined until they
reach the size; without the data, sentences are drawn from a small built-in vocabulary. Each
run is a fresh `python -m framing score` process; its peak RSS is read from the kernel
(``wait4``'s ``ru_maxrss``), and a watchdog stops a run whose RSS passes ``--cap-mb``
(reported as "over N MB"), so that a run on today's code cannot take the machine down.
With ``--workers N`` (several values: one run each), the watchdog also samples every 50 ms
the RSS summed over the process and its workers (an upper bound: forked workers share the
model's pages with the parent), printed as "summed".
Inputs live in a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WORDS = re.findall(
    r"\w+",
    "the minister said report would be published on monday officials released figures for "
    "third quarter council approved plan by vote of six to three government announces new "
    "rail investment despot shamelessly denied chilling reports radical regime crushed "
    "dissent trade talks resume between two countries election results certified",
)


def article_pool(data_dir: Path) -> list[str]:
    path = data_dir / "ptc_semeval2020_task11" / "articles.jsonl"
    if path.is_file():
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line)["text"] for line in fh if line.strip()]
    rng = random.Random(0)
    sentences = [
        " ".join(rng.choices(WORDS, k=rng.randint(8, 25))).capitalize() + "." for _ in range(2000)
    ]
    return [" ".join(sentences[i : i + 40]) for i in range(0, 2000, 40)]


def body_of(pool: list[str], rng: random.Random, size: int) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        text = pool[rng.randrange(len(pool))]
        parts.append(text)
        total += len(text) + 2
    body = "\n\n".join(parts)
    cut = body.rfind(" ", 0, size)
    return body[: cut if cut > 0 else size]


def write_input(path: Path, pool: list[str], rows: int, size: int, seed: int = 0) -> int:
    """A CSV of ``rows`` articles with bodies of about ``size`` characters; its bytes."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "headline", "body"] if size else ["id", "headline"])
        for i in range(rows):
            text = pool[rng.randrange(len(pool))]
            headline = text.split("\n", 1)[0][:200]
            w.writerow([i, headline, body_of(pool, rng, size)] if size else [i, headline])
    return path.stat().st_size


def write_distinct(path: Path, rows: int, seed: int = 0) -> int:
    """A CSV of ``rows`` bodies of 10 random 2,000-letter words each; its bytes."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "headline", "body"])
        for i in range(rows):
            words = ("".join(rng.choices(letters, k=2000)) for _ in range(10))
            w.writerow([i, "Officials released the figures", " ".join(words)])
    return path.stat().st_size


def _rss_mb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _tree_rss_mb(pid: int) -> int:
    """The RSS of ``pid`` and every process below it, summed."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_mb(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return total


def measure(cmd: list[str], cap_mb: int) -> tuple[float, int, bool, str, int]:
    """Wall time, peak RSS (MB), whether the watchdog stopped it, its stderr, and the peak
    RSS summed over the process and its workers (sampled)."""
    t0 = time.perf_counter()
    err = tempfile.TemporaryFile()  # noqa: SIM115 (read after the process ends)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    stopped, done = threading.Event(), threading.Event()
    summed = [0]

    def watch() -> None:  # (never reaps the process: the main thread's wait4 does)
        while not done.is_set():
            rss = _tree_rss_mb(proc.pid)
            summed[0] = max(summed[0], rss)
            if rss > cap_mb:
                stopped.set()
                proc.send_signal(signal.SIGKILL)
                return
            time.sleep(0.05)

    threading.Thread(target=watch, daemon=True).start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    err.seek(0)
    return seconds, usage.ru_maxrss // 1024, stopped.is_set(), err.read().decode(), summed[0]


CASES = {
    # name: (rows, body characters, extra options)
    "articles": (10_000, 5_000, []),
    "long": (2_000, 99_000, []),
    "huge": (300, 290_000, ["--max-chars", "300000"]),
    "giant": (5, 1_900_000, ["--max-chars", "2000000"]),
    "headlines": (300_000, 0, []),
    # body size -1: distinct random words (write_distinct)
    "distinct": (500, -1, []),
    "distinct20": (1_000, -1, []),
    "distinct40": (2_000, -1, []),
    "distinct80": (4_000, -1, []),
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--only", nargs="*", choices=sorted(CASES), help="cases to run (default all)")
    p.add_argument("--scale", type=float, default=1.0, help="multiply the row counts")
    p.add_argument("--cap-mb", type=int, default=6_000, help="stop a run above this RSS")
    p.add_argument("--model", help="model folder (default: the shipped model)")
    p.add_argument("--data-dir", default=os.environ.get("FRAMING_DATA_DIR", "../shared/data"))
    p.add_argument("--workers", nargs="*", type=int, default=[1], help="--workers values")
    p.add_argument("extra", nargs="*", help="more `framing score` options, after --")
    args = p.parse_args()

    pool = article_pool(Path(args.data_dir))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="framing-mem-") as tmp:
        for name in args.only or list(CASES):
            rows, size, options = CASES[name]
            rows = max(1, int(rows * args.scale))
            src = Path(tmp) / f"{name}.csv"
            distinct = size < 0
            nbytes = write_distinct(src, rows) if distinct else write_input(src, pool, rows, size)
            body = "10 distinct 2,000-letter words" if distinct else f"~{size:,} chars"
            for workers in args.workers:
                cmd = [sys.executable, "-m", "framing"]
                cmd += ["--model", args.model] if args.model else []
                cmd += ["score", str(src), "-o", str(Path(tmp) / "out.csv"), "-q", *options]
                cmd += ["--workers", str(workers)] if workers != 1 else []
                cmd += args.extra
                seconds, peak, stopped, err, summed = measure(cmd, args.cap_mb)
                shown = f"over {args.cap_mb:,} MB (stopped)" if stopped else f"{peak:,} MB"
                if workers != 1 and not stopped:
                    shown += f", summed over the {workers + 1} processes {summed:,} MB"
                print(
                    f"{name}: {rows:,} rows, body {body}, input {nbytes / 1e6:,.0f} MB, "
                    f"{workers} worker(s) {' '.join(options + args.extra)}: peak RSS {shown}; "
                    f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s",
                    flush=True,
                )
                if not stopped and err.strip():
                    print("  " + err.strip().replace("\n", "\n  "))
                (Path(tmp) / "out.csv").unlink(missing_ok=True)
            src.unlink()


if __name__ == "__main__":
    main()
