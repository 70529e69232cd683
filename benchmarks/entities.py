"""Institutions, acronym definitions and laws found in every document of ../shared/corpus/{real,foreign},
against the gold annotations of ``real/gold.json`` (laws, responsible bodies).

    python3 benchmarks/entities.py [--json]

Per file: organisations found in the text (distinct keys), acronym definitions, how many of the
gold responsible bodies resolve to an organisation found in the text, laws found (distinct keys)
and how many gold laws are among them (a gold law counts when its own words cite a law found in
the document), seconds.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path


from ogp_graph.readers import load_document  # noqa: E402
from ogp_graph.errors import OgpKgError  # noqa: E402
from ogp_graph.institutions import find_acronyms  # noqa: E402
from ogp_graph.laws import find_citations  # noqa: E402
from ogp_graph.nlp.pipeline import build_nlp, make_doc  # noqa: E402
from ogp_graph.nlp.spans import INSTITUTIONS  # noqa: E402
from ogp_graph.org_resolver import InstitutionResolver  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _text(path: Path) -> str:
    try:
        return load_document(path).text
    except OgpKgError:  # a format this branch cannot read yet: its characters
        return path.read_text(encoding="utf-8")


def measure(path: Path, country: str, gold: dict | None, nlp) -> dict:
    began = time.perf_counter()
    text = _text(path)
    resolver = InstitutionResolver.for_text(text, country)
    with nlp.select_pipes(enable=["entity_ruler", "ogp_institutions"]):
        doc = nlp(make_doc(nlp, text, country, institutions=resolver))
    orgs = {span.kb_id_ for span in doc.spans[INSTITUTIONS]}
    laws = {cite.key for cite in find_citations(text, country)}
    row = {"file": path.name, "country": country, "chars": len(text), "organisations": len(orgs),
           "acronyms": len(find_acronyms(text)), "laws": len(laws)}
    if gold is not None:
        bodies = [b for c in gold.get("commitments", []) for b in (c.get("responsible") or [])]
        named = [b for b in bodies if resolver.institution(b).key in orgs]
        row["responsible_found"] = f"{len(named)}/{len(bodies)}"
        gold_laws = [law["law"] for law in gold.get("laws", [])]
        hits = [law for law in gold_laws if {c.key for c in find_citations(law, country)} & laws]
        row["gold_laws_found"] = f"{len(hits)}/{len(gold_laws)}"
        row["gold_laws_missed"] = [law for law in gold_laws if law not in hits]
    row["seconds"] = round(time.perf_counter() - began, 1)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"{CORPUS} not present", file=sys.stderr)
        return 1
    records = json.loads((CORPUS / "real" / "gold.json").read_text(encoding="utf-8"))
    gold = {r["file"]: r for r in records}
    nlp = build_nlp()
    files = sorted(p for folder in ("real", "foreign") for p in (CORPUS / folder).iterdir()
                   if p.suffix != ".json" and p.name != "README.md")
    for path in files:
        record = gold.get(path.name)
        country = re.search(r"\(([A-Z]{2})\)", record["country"]).group(1) if record else path.name[:2].upper()
        row = measure(path, country, record["gold"] if record else None, nlp)
        print(json.dumps(row, ensure_ascii=False) if args.json else
              "  ".join(f"{k}={v}" for k, v in row.items() if k != "gold_laws_missed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
