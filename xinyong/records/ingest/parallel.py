"""A large batch imported by several processes, each preparing and committing every `parts`-th chunk.

The machine has two cores and an import has two halves of similar cost: preparing rows (parsing,
validating, hashing, encrypting) and writing them. Each spawned process (no inherited database
connection) reads the whole file, prepares its own chunks and commits them itself, so rows never
travel between processes and one process writes while the other prepares.

Chunks are planned and committed strictly in file order. A process plans chunk n (which rows it
stores, and on PostgreSQL its subjects) once chunk n − 1 is planned, which it learns from the
message the planning process sends with the source keys that chunk takes (so a key used twice in
one file is reported whichever process saw it first) and the subjects it creates. It commits chunk
n once chunk n − 1 is committed, which another message says. On PostgreSQL the rows are written
between the two, so both processes write at once; SQLite has one writer: there a chunk is written
after its turn (see `committer.py`).

The main process only watches: it reports progress from the batch's committed counters, and when a
process fails or dies it stops the others; what was committed stays a consistent prefix of the
file, and the batch resumes after its `processed_line`.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from queue import Empty
from typing import Any

from xinyong.core.errors import ApplicationError

from .producer import FileSource, part_chunks
from .reader import FileRejected
from .rows import ImportSpec

PROCESSES = 2
POLL_SECONDS = 1.0
GC_YOUNG_THRESHOLD = 50_000  # Python's default is 700


class ImportInterrupted(ApplicationError):
    """An importing process died (killed, out of memory): nothing is wrong with the file, and what was
    committed is a consistent prefix of it, so the batch stays running, to be resumed."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(
            code="import_worker_died",
            status=503,
            message=f"导入进程意外退出（退出码 {exitcode}）。已入库的行已保存，继续导入该批次即可，不会重复。",
        )


@dataclass(frozen=True)
class ImportJob:
    """What an importing process needs to take its share of a batch (plain data: sent to spawned processes)."""

    batch_id: int
    spec: ImportSpec
    source: FileSource
    after_line: int  # the batch's processed line: chunks are counted from 0 after it
    size: int  # rows in a chunk
    fresh: bool  # the provider has no record of the item but this batch's own


def import_in_parallel(job: ImportJob, on_commit: Callable[[], None] | None = None, parts: int = PROCESSES) -> None:
    """Import the batch's chunks after `job.after_line` in `parts` processes; return when all are committed.
    `on_commit` is called in this process after each committed chunk. Raises FileRejected when the file
    cannot be read to its end or a process fails, ImportInterrupted when a process dies; the committed
    chunks stay."""
    context = multiprocessing.get_context("spawn")
    status = context.Queue()
    inboxes = [context.Queue() for _ in range(parts)]
    processes = [
        context.Process(
            target=_work,
            args=(job, part, parts, inboxes, status, os.getpid()),
            daemon=True,
        )
        for part in range(parts)
    ]
    for process in processes:
        process.start()
    try:
        _watch(processes, status, on_commit)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=10)


def _watch(processes: list[Any], status: Any, on_commit: Callable[[], None] | None) -> None:
    finished: set[int] = set()
    while len(finished) < len(processes):
        try:
            kind, part, payload = status.get(timeout=POLL_SECONDS)
        except Empty:
            for part, process in enumerate(processes):
                if part not in finished and not process.is_alive():
                    raise ImportInterrupted(process.exitcode) from None
            continue
        if kind == "committed":
            if on_commit is not None:
                on_commit()
        elif kind == "done":
            finished.add(part)
        elif kind == "rejected":
            raise FileRejected(code=payload[0], message=payload[1])
        else:
            raise FileRejected(code="import_worker_failed", message=f"导入出错：{payload}")


def _die_with_parent(parent: int) -> None:
    """Linux: this process is killed when the main importing process dies, so nothing is written for a
    batch nobody watches any more (elsewhere the parent check before each commit does it)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _work(job: ImportJob, part: int, parts: int, inboxes: list[Any], status: Any, parent: int) -> None:
    _die_with_parent(parent)
    try:
        import django

        django.setup()  # a spawned process: its own settings and database connection
        # A row makes a dozen short-lived containers: collect the young generation less often, and never
        # scan what setting up left behind (about 10% of this process's time otherwise).
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 100)
        _Worker(job, part, parts, inboxes, status, parent).run()
        status.put(("done", part, None))
    except FileRejected as exc:
        status.put(("rejected", part, (exc.code, exc.message)))
    except Exception as exc:  # reported to the main process, which fails the batch with it
        status.put(("crashed", part, repr(exc)))


class _Worker:
    def __init__(self, job: ImportJob, part: int, parts: int, inboxes: list[Any], status: Any, parent: int):
        from ..models import SubmissionBatch
        from .committer import ChunkCommitter

        batch = SubmissionBatch.objects.select_related("item").get(pk=job.batch_id)
        self.job = job
        self.committer = ChunkCommitter(batch, fresh=job.fresh)
        self.committer.checkpoint_after_commits()
        self.part, self.parts, self.inbox, self.status, self.parent = part, parts, inboxes[part], status, parent
        self.peers = [queue for index, queue in enumerate(inboxes) if index != part]
        self.planned = _Progress()  # chunks whose keys (and subjects) are known
        self.committed = _Progress()

    def run(self) -> None:
        try:
            self._run()
        except BaseException:
            self.committer.close(check=False)  # the error reported is the import's, not a checkpoint's
            raise
        self.committer.close()

    def _run(self) -> None:
        job = self.job
        committer = self.committer
        chunks = part_chunks(job.spec, job.source, job.after_line, job.size, self.part, self.parts, fresh=job.fresh)
        for number, chunk in chunks:
            if os.getppid() != self.parent:
                return  # the main process is gone: leave the batch to be resumed
            self._wait_for(self.planned, number - 1)  # plan once the earlier chunks are planned
            committer.forget_until(self.committed.upto)
            plan = committer.plan(chunk, number)
            self._tell(("planned", number, plan.taken, plan.claims()))
            self.planned.add(number)
            counts = committer.write(plan, functools.partial(self._wait_for, self.committed, number - 1))
            self._tell(("committed", number, None, None))
            self.committed.add(number)
            self.status.put(("committed", self.part, number))
            committer.tidy(number, counts)

    def _tell(self, message: tuple[Any, ...]) -> None:
        for peer in self.peers:
            peer.put(message)

    def _wait_for(self, progress: _Progress, number: int) -> None:
        """Until chunk `number` and all before it have made `progress`, learning what the others planned."""
        while progress.upto < number:
            try:
                kind, done, taken, subjects = self.inbox.get(timeout=POLL_SECONDS)
            except Empty:
                if os.getppid() != self.parent:
                    raise FileRejected(code="import_orphaned", message="主导入进程已退出。") from None
                continue
            if kind == "planned":
                self.committer.learn(taken, done, subjects)
                self.planned.add(done)
            else:
                self.committed.add(done)


class _Progress:
    """Chunk numbers heard of, possibly out of order; `upto`: every chunk up to it."""

    def __init__(self) -> None:
        self.upto = -1
        self.early: set[int] = set()

    def add(self, number: int) -> None:
        self.early.add(number)
        while self.upto + 1 in self.early:
            self.upto += 1
            self.early.discard(self.upto)
