"""The HTTP side of bench/search.py: a gunicorn server on loopback and keep-alive clients (http.client)."""

from __future__ import annotations

import http.client
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

PYTHON = sys.executable


class Server:
    """gunicorn serving config.wsgi (production settings from `env`) on 127.0.0.1:port, stopped on exit."""

    def __init__(self, env: dict[str, str], root: Path, port: int, *, workers: int, threads: int) -> None:
        self.env, self.root, self.port = env, root, port
        self.log = Path(env["XINYONG_VAR_DIR"]) / "gunicorn.log"
        self.command = [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={threads}",
            "--keep-alive=30",
            "--log-level=warning",
            f"--error-logfile={self.log}",
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.log.unlink(missing_ok=True)
        self.process = subprocess.Popen(self.command, cwd=self.root, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}):\n{self.errors()}")
            try:
                status, _, _ = Client(self.port).get("/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within 60 s:\n{self.errors()}")

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # our own child, by its pid
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def errors(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


class Client:
    """One keep-alive connection; http.client reconnects by itself if the server closes it."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[int, float, int]:
        """(status, seconds from sending the request to the last byte of the body, body bytes)."""
        started = time.perf_counter()
        self.connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = self.connection.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        if response.will_close:
            self.connection.close()
        return response.status, seconds, len(body)


def latency_run(port: int, paths: list[str]) -> list[tuple[str, int, float, int]]:
    """One client, one request at a time: (path, status, seconds, bytes) per request."""
    client = Client(port)
    return [(path, *client.get(path)) for path in paths]


def summarise(rows: list[tuple[str, int, float, int]]) -> dict[str, Any]:
    ok = [seconds for _, status, seconds, _ in rows if status == 200]
    errors = [(path, status) for path, status, _, _ in rows if status != 200]
    slowest = sorted(rows, key=lambda row: -row[2])[:5]
    return summarise_times([seconds * 1000 for _, _, seconds, _ in rows]) | {
        "ok": len(ok),
        "errors": len(errors),
        "error_samples": errors[:10],
        "mean_bytes": round(statistics.fmean(row[3] for row in rows), 0) if rows else 0,
        "slowest": [(path, round(seconds * 1000, 1)) for path, _, seconds, _ in slowest],
        "times": [round(seconds * 1000, 3) for _, _, seconds, _ in rows],
    }


def summarise_times(times_ms: list[float]) -> dict[str, Any]:
    """n, p50, p95, p99 and max of request times in milliseconds."""
    ms = sorted(times_ms)
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 50), 2),
        "p95": round(percentile(ms, 95), 2),
        "p99": round(percentile(ms, 99), 2),
        "max": round(ms[-1], 2) if ms else 0.0,
    }


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def throughput_run(port: int, paths: list[str], threads: int, seconds: float) -> dict[str, Any]:
    """`threads` clients, each on its own connection, cycling through `paths` for `seconds`."""
    counts, errors = [0] * threads, [0] * threads
    stop = time.perf_counter() + seconds

    def work(index: int) -> None:
        client = Client(port)
        position = index
        while time.perf_counter() < stop:
            status, _, _ = client.get(paths[position % len(paths)])
            counts[index] += 1
            errors[index] += status != 200
            position += threads

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return {"requests": sum(counts), "errors": sum(errors), "seconds": round(elapsed, 2), "rps": sum(counts) / elapsed}
