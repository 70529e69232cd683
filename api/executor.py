"""Queries that stop at their deadline: SPARQL runs in worker processes that are killed and replaced.

A ``QueryPool`` keeps ``size`` worker processes (``forkserver``: a replacement is a fork of a
process that has already imported ogp-kg, so it is ready in milliseconds). Each worker opens the
build's store read-only, parses, checks, runs and serialises the query itself (pyoxigraph results
never leave the thread that made them) and answers bytes. When a query passes its deadline its
worker is killed (SIGKILL: the CPU is free at once) and a fresh one takes its place; a worker that
grows past ``max_rss`` retires after answering. At most ``size`` queries run; up to ``max_waiting``
more wait ``queue_wait`` seconds for a worker, the rest get ``Busy`` (503 with Retry-After).

``Runner`` puts the pool under the HTTP endpoint and keeps a fast lane: a query text measured
cheap (under ``fast_ms``) on the current build runs in the server process itself — same text,
same build, same cost — so cheap queries never queue behind slow ones. A request answered on the
fast lane is remembered by its exact bytes (``remember``): the same request on the same build is
answered again (``again``) with nothing re-decided — no parsing of parameters, no policy, no
negotiation — only the store's run, under the same caps; and when the query is deterministic
(``Analysis.deterministic``) and its answer small, not even that: the build is immutable, so the
answer bytes of the first run are the answer (``Runner.MAX_KEPT_ANSWER``; 0 turns this off).
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import resource
import signal
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from api.errors import Busy, MalformedQuery, QueryTimeout, QueryTooComplex, RequestError
from api.memo import LRU, digest
from api.results import PreparedQuery, SparqlResult
from ogp_graph.errors import OgpKgError, StoreError

if TYPE_CHECKING:
    from api.core import Service


@dataclass(frozen=True)
class PoolSettings:
    size: int = max(2, os.cpu_count() or 2)
    queue_wait: float = 2.0
    max_waiting: int = 16
    max_rss_mb: int = 1024
    fast_ms: float = 25.0


# -- the worker process ---------------------------------------------------------------------------------
def _serve(conn, max_rss: int) -> None:
    """A worker's loop: one task in, one reply out, until the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(5)  # the server process (cheap queries, search) goes first
    from api.core import Service

    service, opened = None, None
    while True:
        try:
            task = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if task is None:  # a ping: ready
            conn.send_bytes(pickle.dumps(("ready", 0.0, False)))
            continue
        key, seconds = (task["build"], task.get("generation", 0)), 0.0
        try:
            if opened != key:
                service, opened = None, None
                service = Service(task["data_dir"], build_dir=Path(task["build"]))
                service.store  # noqa: B018 - opened before the clock starts
                opened = key
            reply, seconds = _run(service, task)
        except Exception as exc:  # every failure goes back as a one-line error
            reply = ("error", _describe(exc))
        retire = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 > max_rss
        try:
            conn.send_bytes(pickle.dumps((*reply, seconds, retire)))
        except (BrokenPipeError, OSError):
            return
        if retire:
            return


def _run(service, task: dict) -> tuple[tuple, float]:
    """(reply, CPU seconds the query took on this thread: parsing excluded (the server caches the
    parse too), other processes' load excluded (CPU time, not wall time))."""
    from api.policy import analyse

    analysis = analyse(task["query"], max_bytes=task["max_bytes"], max_depth=task["max_depth"])
    if analysis.searches and task.get("scores") is None:
        return ("search", analysis), 0.0
    started = time.thread_time()
    result = service.sparql(task["query"], analysis=analysis, scores=task.get("scores") or {}, **task["options"])
    return ("ok", asdict(result), analysis), time.thread_time() - started


def _describe(exc: BaseException) -> Exception:
    """The error a worker sends back for ``exc``: a catalogue error (it pickles with its key and
    parameters) or a ``StoreError`` with a one-line message."""
    if isinstance(exc, RequestError):
        return exc
    if isinstance(exc, SyntaxError):
        return MalformedQuery("syntax", detail=str(exc))
    if isinstance(exc, (OgpKgError, OSError)):
        return StoreError(" ".join(str(exc).split()))
    if isinstance(exc, (RecursionError, MemoryError)):
        return QueryTooComplex("run", name=type(exc).__name__)
    if isinstance(exc, (ValueError, TypeError)):
        return RequestError("invalid", detail=str(exc) or type(exc).__name__)
    return StoreError(f"the query failed ({type(exc).__name__})")


# -- the pool -----------------------------------------------------------------------------------------
class _Worker:
    def __init__(self, context, max_rss: int):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, max_rss), daemon=True, name="ogp-kg-query")
        self.process.start()
        child.close()

    def call(self, task: dict, timeout: float) -> tuple:
        """The worker's reply. :raises TimeoutError: none within ``timeout``. :raises EOFError: it died."""
        self.conn.send_bytes(pickle.dumps(task))
        if not self.conn.poll(max(timeout, 0.0)):
            raise TimeoutError
        return pickle.loads(self.conn.recv_bytes())

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """Worker processes for SPARQL queries; ``run`` blocks (call it from a thread)."""

    def __init__(self, settings: PoolSettings | None = None):
        self.settings = settings or PoolSettings()
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["api.core", "rdflib.plugins.sparql.parser", "rdflib.plugins.sparql.algebra"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._slots = threading.BoundedSemaphore(self.settings.size + self.settings.max_waiting)
        self._lock = threading.Lock()
        self._started = False
        self.killed = 0  # workers killed at a deadline or lost (for tests and /health)

    def _spawn(self) -> None:
        worker = _Worker(self._context, self.settings.max_rss_mb * 1024 * 1024)
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        self._spawn()

    def start(self) -> None:
        """Start the worker processes and wait until each is ready (once; later calls do nothing)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.settings.size):
            self._spawn()
        for worker in list(self._all):  # wait until each has started (the forkserver imports ogp-kg once)
            worker.call(None, 60)

    def run(self, task: dict, *, timeout: float) -> tuple:
        """The worker's reply to ``task`` within ``timeout`` seconds (waiting for a worker included).

        :raises Busy: every worker is taken and the wait queue is full or the wait ran out.
        :raises QueryTimeout: the query ran past the deadline (its worker was killed and replaced).
        """
        self.start()
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(blocking=False):
            raise Busy("slots")
        try:
            try:
                worker = self._idle.get(timeout=max(0.0, min(self.settings.queue_wait, timeout)))
            except queue.Empty:
                raise Busy("workers") from None
            try:
                reply = worker.call(task, deadline - time.monotonic())
            except TimeoutError:
                self.killed += 1
                self._replace(worker)
                raise QueryTimeout("query", seconds=f"{timeout:g}") from None
            except (EOFError, OSError):
                self.killed += 1
                self._replace(worker)
                raise MalformedQuery("crashed") from None
            except BaseException:  # whatever else happened, the worker's state is unknown: never reuse it
                self.killed += 1
                self._replace(worker)
                raise
            if reply[-1]:  # retired after answering
                self._replace(worker)
            else:
                self._idle.put(worker)
            return reply
        finally:
            self._slots.release()

    def close(self) -> None:
        """Kill every worker process."""
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.process.pid for w in self._all]


# -- the endpoint's runner --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    """A request answered on the fast lane: its query prepared on one build."""

    prepared: PreparedQuery
    fits: int | None        # bytes the uncut SELECT answer took (None: ASK)
    answer: SparqlResult | None  # the answer itself, when the query is deterministic and the answer small


class Runner:
    """The SPARQL query path of the server: fast lane in-process, everything else in the pool."""

    MAX_REQUEST_KEY = 8192  # requests longer than this are never remembered (bounded memory)

    def __init__(self, pool: QueryPool, *, timeout: float, max_bytes: int, max_depth: int,
                 max_kept_answer: int = 32_768):
        self.pool, self.timeout = pool, timeout
        self.max_bytes, self.max_depth = max_bytes, max_depth
        self.max_kept_answer = max_kept_answer  # bytes; 512 plans at most: ≤ 16 MB of kept answers
        self._costs = LRU(4096)
        self._analyses = LRU(4096)
        self._plans: tuple[tuple[str, int] | None, LRU[_Plan]] = (None, LRU(512))  # (build, its plans)
        self._running: dict = {}
        self._lock = threading.Lock()

    def fast(self, service: Service, query: str, options: dict, generation: int = 0) -> SparqlResult | None:
        """The answer computed in this process when this query is known to be cheap here, else None."""
        key = self._key(service, query, options, generation)
        known = self._costs.get(key)
        if known is None or known[0] > self.pool.settings.fast_ms / 1000 or not service.embedded:
            return None
        analysis, fits = self._analyses.get(key), known[1]
        started = time.thread_time()
        result = service.sparql(query, analysis=analysis, fits=2 * fits + 4096 if fits is not None else None, **options)
        self._costs.put(key, (time.thread_time() - started, self._fits(result)))
        return result

    def remember(self, request: bytes, service: Service, query: str, options: dict, result: SparqlResult) -> None:
        """Remember a fast-lane answer under ``request`` (the request's exact bytes that decide the
        answer: query string, Accept): an uncut SELECT or an ASK, prepared once (``Service.prepare``),
        its answer kept too when deterministic and small enough. Plans are for one build: those of
        an older build are dropped when the first of a newer one is made."""
        if len(request) > self.MAX_REQUEST_KEY or not (result.kind == "boolean" or self._fits(result) is not None):
            return
        build = (service.build_id, service.generation)
        analysis = self._analyses.get(self._key(service, query, options, service.generation))
        if analysis is None:
            return
        fits = self._fits(result)
        kept = result if analysis.deterministic and len(result.body) <= self.max_kept_answer else None
        bound = 2 * fits + 4096 if fits is not None else None
        plan = _Plan(service.prepare(query, analysis=analysis, **options), bound, kept)
        with self._lock:
            if self._plans[0] != build:
                self._plans = (build, LRU(self._plans[1].size))
            self._plans[1].put(request, plan)

    def again(self, request: bytes, service: Service) -> SparqlResult | None:
        """The answer to a remembered request on ``service``'s build, or None (not remembered, another
        build: the full path answers). Only the store's run and the serialisation happen here."""
        build, plans = self._plans
        plan = plans.get(request) if build == (service.build_id, service.generation) else None
        if plan is None:
            return None
        return plan.answer or plan.prepared.run(fits=plan.fits)

    @staticmethod
    def _fits(result: SparqlResult) -> int | None:
        """The size of an uncut SELECT answer (what ``fits`` is measured against next time)."""
        return len(result.body) if result.kind == "solutions" and result.truncated is None else None

    def pooled(self, service: Service, query: str, options: dict, generation: int = 0) -> SparqlResult:
        """The answer from a worker process, within the deadline (blocking: call from a thread).

        Identical queries arriving together wait for the first one's run instead of filling the
        pool; when it shows the query is cheap, they run in this process."""
        key = self._key(service, query, options, generation)
        with self._lock:
            first = self._running.get(key)
            if first is None:
                self._running[key] = threading.Event()
        if first is not None:
            first.wait(self.timeout)
            result = self.fast(service, query, options, generation)
            if result is not None:
                return result
            return self._pooled(key, service, query, options, generation)
        try:
            return self._pooled(key, service, query, options, generation)
        finally:
            with self._lock:
                self._running.pop(key).set()

    def _pooled(self, key, service, query: str, options: dict, generation: int) -> SparqlResult:
        task = {"data_dir": str(service.data_dir), "build": str(service.build_dir), "generation": generation,
                "query": query, "options": options, "max_bytes": self.max_bytes, "max_depth": self.max_depth,
                "scores": None}
        self.pool.start()
        analysis = self._analyses.get(key)
        if analysis is not None and analysis.searches:
            task["scores"] = service.search_scores(analysis.searches)
        reply = self.pool.run(task, timeout=self.timeout)
        if reply[0] == "search":  # the searches run here (the index is in this process), then the query there
            task["scores"] = service.search_scores(reply[1].searches)
            reply = self.pool.run(task, timeout=self.timeout)
        if reply[0] == "error":
            raise reply[1]
        _, result, analysis, seconds, _ = reply
        result = SparqlResult(**result)
        if not analysis.searches:  # with searches, the in-process cost also includes the search itself
            self._costs.put(key, (seconds, self._fits(result)))
        self._analyses.put(key, analysis)
        return result

    @staticmethod
    def _key(service, query: str, options: dict, generation: int):
        dataset = repr(sorted((k, v) for k, v in options.items() if k in ("default_graphs", "named_graphs", "base_iri")))
        return digest(query, dataset), service.build_id, generation
