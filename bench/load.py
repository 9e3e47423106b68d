"""``make load``: the real server under 20 concurrent clients, with a rebuild mid-run.

1. Builds the corpus into an output folder (a temporary one unless ``--out`` is given).
2. Starts ``python -m webapp`` (waitress, several threads) in a subprocess on a free port.
3. Runs closed-loop clients (threads with keep-alive ``http.client`` connections) from this
   process for ``--duration`` seconds over a fixed mix of page and API URLs.
4. A third of the way in, runs ``python -m indexer build --force`` into the served folder in
   another subprocess: the symlink is swapped while requests are in flight.
5. Prints throughput, p50, p99 and errors overall and before / during / after the rebuild,
   and exits non-zero when a request failed or the targets were missed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench import percentile
from bench.queries import QUERIES
from indexer import CORPUS_DIR, ROOT

TARGET_P99_MS = 100.0
SERVER_START_TIMEOUT = 120.0


@dataclass
class Sample:
    """One request: when it ended (seconds since start), how long it took, how it ended."""

    end: float
    ms: float
    ok: bool
    what: str
    cached: bool = False


@dataclass
class Run:
    """Everything measured during the run."""

    samples: list[Sample] = field(default_factory=list)
    rebuild: tuple[float, float] | None = None
    rebuild_output: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        """Record one request (from any client thread)."""
        with self.lock:
            self.samples.append(sample)


def url_mix() -> list[str]:
    """The request paths the clients cycle through: searches, facets, pages, JSON."""
    paths = []
    for _category, query in QUERIES:
        paths.append("/search?" + urlencode({"q": query, "lang": "zh"}))
        paths.append("/api/search?" + urlencode({"q": query}))
    paths += [
        "/search?" + urlencode({"q": "宗庆后", "doc": "shangcheng-2018.t22", "lang": "en"}),
        "/search?" + urlencode({"q": "教育", "kind": "clause", "sort": "date", "page": 2}),
        "/search?" + urlencode({"q": "special education", "lang": "en"}),
        "/search?" + urlencode({"q": "laji fenlei"}),
        "/api/search?" + urlencode({"q": "", "kind": "award", "size": 50}),
        "/", "/docs", "/help", "/api/docs",
        "/doc/shangcheng-2018.20180620", "/doc/shangcheng-2018.t20?lang=en",
        "/c/shangcheng-2018.t22.8", "/api/record/shangcheng-2018.t22.8",
    ]
    return paths


def start_server(index: Path, threads: int, cache_size: int | None,
                 log: Path) -> tuple[subprocess.Popen, str, int]:
    """Start ``python -m webapp`` on a free port; return the process, host and port.

    The server's own log (waitress queue-depth warnings, errors) goes to ``log``.
    """
    command = [sys.executable, "-m", "webapp", "--host", "127.0.0.1", "--port", "0",
               "--threads", str(threads), "--index", str(index)]
    if cache_size is not None:
        command += ["--cache-size", str(cache_size)]
    with open(log, "w") as err:
        server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=err,
                                  text=True)
    line = server.stdout.readline()
    if "http://" not in line:
        server.kill()
        raise RuntimeError(f"server did not start: {line!r}")
    address = line.split("http://", 1)[1].split("/", 1)[0]
    host, port = address.rsplit(":", 1)
    return server, host, int(port)


def client(host: str, port: int, paths: list[str], offset: int, started: float,
           deadline: float, run: Run) -> None:
    """One closed-loop client: request the next path as soon as the last one answered."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    i = offset
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 1
        begin = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            cached = response.getheader("X-Cache") == "hit"
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            ok, cached = False, False
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
        end = time.perf_counter()
        run.add(Sample(end - started, (end - begin) * 1000, ok, path, cached))
    connection.close()


def rebuild(out: Path, delay: float, started: float, run: Run) -> None:
    """After ``delay`` seconds, force a rebuild into ``out`` in another process."""
    time.sleep(delay)
    begin = time.perf_counter() - started
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "build", "--corpus", str(CORPUS_DIR),
         "--out", str(out), "--force"],
        cwd=ROOT, capture_output=True, text=True)
    run.rebuild = (begin, time.perf_counter() - started)
    run.rebuild_output = (result.stdout + result.stderr).strip().splitlines()[-1:]


def phase_line(name: str, samples: list[Sample], seconds: float) -> str:
    """One row of the report: requests, throughput, p50, p99, max, errors."""
    if not samples:
        return f"{name:<16}{0:>9}"
    times = [s.ms for s in samples]
    errors = sum(not s.ok for s in samples)
    return (f"{name:<16}{len(samples):>9}{len(samples) / max(seconds, 1e-9):>10.1f}"
            f"{percentile(times, 50):>9.1f}{percentile(times, 99):>9.1f}{max(times):>9.1f}"
            f"{errors:>8}")


def report(run: Run, duration: float, clients: int) -> bool:
    """Print the table; return True when there were no errors and p99 met the target."""
    samples = run.samples
    hits = sum(s.cached for s in samples)
    print(f"\n{clients} clients, {duration:.0f} s, {len(url_mix())} URLs in the mix, "
          f"{hits} of {len(samples)} answered from the response cache")
    print(f"{'phase':<16}{'requests':>9}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'max ms':>9}{'errors':>8}")
    print(phase_line("all", samples, duration))
    if run.rebuild:
        begin, end = run.rebuild
        print(phase_line("before rebuild", [s for s in samples if s.end < begin], begin))
        print(phase_line("during rebuild", [s for s in samples if begin <= s.end < end],
                         end - begin))
        print(phase_line("after rebuild", [s for s in samples if s.end >= end],
                         duration - end))
        print(f"rebuild from {begin:.1f} s to {end:.1f} s: {' '.join(run.rebuild_output)}")
    failed = sorted({s.what for s in samples if not s.ok})
    for path in failed[:10]:
        print(f"  failed: {path}")
    p99 = percentile([s.ms for s in samples], 99) if samples else float("inf")
    passed = not failed and p99 <= TARGET_P99_MS
    print(f"targets: 0 errors, p99 ≤ {TARGET_P99_MS:.0f} ms → {'met' if passed else 'MISSED'}")
    return passed


def main(argv: list[str] | None = None) -> int:
    """Build, serve, load, rebuild, report; exit status 0 when the targets were met."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--out", help="build output folder to serve (default: a temp folder)")
    parser.add_argument("--no-rebuild", action="store_true", help="skip the mid-run rebuild")
    parser.add_argument("--cache-size", type=int, help="server response cache (0: off)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="yearbook-load-") as tmp:
        out = Path(args.out or tmp)
        subprocess.run([sys.executable, "-m", "indexer", "build", "--corpus", str(CORPUS_DIR),
                        "--out", str(out)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        log = Path(tmp) / "server.log"
        server, host, port = start_server(out / "index", args.threads, args.cache_size, log)
        print(f"server pid {server.pid} on http://{host}:{port}/ ({args.threads} threads), "
              f"serving {os.path.realpath(out / 'index')}")
        try:
            run = load(host, port, args, out)
        finally:
            server.terminate()
            server.wait(timeout=10)
        passed = report(run, args.duration, args.clients)
        warnings = log.read_text().splitlines()
        print(f"server log: {len(warnings)} lines" + "".join(f"\n  {w}" for w in warnings[:5]))
    return 0 if passed else 1


def load(host: str, port: int, args: argparse.Namespace, out: Path) -> Run:
    """Run the clients (and, a third of the way in, the rebuild) for ``args.duration`` s."""
    run, paths = Run(), url_mix()
    started = time.perf_counter()
    deadline = started + args.duration
    threads = [threading.Thread(target=client, args=(host, port, paths, n * 7, started,
                                                     deadline, run))
               for n in range(args.clients)]
    if not args.no_rebuild:
        threads.append(threading.Thread(target=rebuild,
                                        args=(out, args.duration / 3, started, run)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


if __name__ == "__main__":
    sys.exit(main())
