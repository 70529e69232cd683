"""Reading real OGP documents: commitments, titles, responsible bodies and laws against gold.

Every file of ``../shared/corpus/real/`` (gold in its ``gold.json``) and
``../shared/corpus/foreign/``, plus the bundled report, is built from the original file
(load → find commitments → describe → NLP extraction). Per file: commitments found vs gold,
title precision/recall (case-, accent- and whitespace-insensitive, no final period),
responsible-body recall (a gold body counts as found when a responsible organisation's name
or acronym, or the raw responsible field, matches it fuzzily), laws found, seconds.
Run: ``python benchmarks/documents.py [--json out.json]``.
"""
from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


from rapidfuzz import fuzz  # noqa: E402

from ogp_graph.build import bundled_report, extract, load_documents  # noqa: E402
from ogp_graph.errors import DocumentError  # noqa: E402
from ogp_graph.text import word_fold  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
_FUZZY = 88


@dataclass
class Gold:
    """What a file holds: its count, titles (None where the document gives none or they
    are not known) and responsible bodies per commitment, and its laws."""

    count: int
    titles: list[str | None]
    responsible: list[list[str] | None]
    laws: list[str] = field(default_factory=list)
    complete: bool = True  # titles cover every commitment (precision can be measured)
    numbered: bool = True  # the document numbers or labels its commitments


def _bundled_gold() -> Gold:
    """The bundled report's titles: the bold paragraphs (or heading) between each number and
    its "Responsable:" field in the raw rows, across page breaks."""
    raw = bundled_report().read_text(encoding="utf-8")
    titles = []
    for n in range(1, 23):
        row = raw[re.search(rf"<b>{n}</b>|^## {n}$", raw, re.MULTILINE).end():]
        nxt = re.search(rf"<b>{n + 1}</b>|^## {n + 1}$", row, re.MULTILINE)
        row = row[: nxt.start()] if nxt else row
        head = row[: row.find("Responsable")] if "Responsable" in row else row
        bold = re.compile(r"<b>(.*?)</b>|\*\*(.+?)\*\*|^### (.*)$", re.DOTALL | re.MULTILINE)
        parts = ["".join(m.groups(default="")) for m in bold.finditer(head)]
        parts = parts or re.findall(r"<p>(.*?)</p>", head, re.DOTALL)[:1]
        titles.append(re.sub(r"\s+", " ", " ".join(parts)).strip())
    return Gold(22, titles, [None] * 22)


def _real_gold() -> dict[Path, Gold]:
    result = {}
    for record in json.loads((SHARED / "real" / "gold.json").read_text(encoding="utf-8")):
        g = record["gold"]
        cs = g["commitments"]
        titled = [c["title"] for c in cs]
        result[SHARED / "real" / record["file"]] = Gold(
            count=g["n_commitments"], titles=titled, responsible=[c["responsible"] for c in cs],
            laws=[law["law"] for law in g.get("laws", [])], complete=len(cs) == g["n_commitments"],
            numbered=bool(cs) and all(c["num"] and c["title"] for c in cs) and len(cs) == g["n_commitments"]
            and not any(str(c["num"]).startswith(("Rama", "Subnacional", "Órganos")) or not re.search(r"\d", str(c["num"]))
                        for c in cs))
    return result


def _foreign_gold(real: dict[Path, Gold]) -> dict[Path, Gold]:
    """The foreign files have no gold.json: the counts and titles existing tests assert; the
    Spanish Ecuador plan holds the same ten commitments as the Ecuador CSV export."""
    foreign = SHARED / "foreign"
    ec = real.get(SHARED / "real" / "ec-2019-2022-paga-compromisos-csv.csv")
    es = Gold(10, list(ec.titles), list(ec.responsible)) if ec else Gold(10, [None] * 10, [None] * 10, complete=False)
    return {
        foreign / "ec-2019-2022-plan-accion-es.pdf": es,
        foreign / "ec-2019-2022-plan-accion-es.txt": es,
        foreign / "ec-2019-2022-action-plan-en.txt": Gold(
            10, [None, None, "Open Information Platform for Public Procurement"] + [None] * 7, [None] * 10, complete=False),
        foreign / "us-nap5-2022.md": Gold(
            36, ["Expand the Federal Government's Production, Dissemination, and Use of Equitable Data"] + [None] * 25
            + ["Strengthening Access to Government Information through the Freedom of Information Act (FOIA)"]
            + [None] * 8 + ["Increase Access to Justice"], [None] * 36, complete=False),
    }


def gold_files() -> dict[Path, Gold]:
    """Every benchmarked file with its gold (the bundled report first); empty without ../shared."""
    files = {bundled_report(): _bundled_gold()}
    if (SHARED / "real" / "gold.json").exists():
        real = _real_gold()
        files.update(real)
        files.update({p: g for p, g in _foreign_gold(real).items() if p.exists()})
    return files


def _norm(title: str) -> str:
    return word_fold(title.rstrip(". "))


def _same(a: str, b: str) -> bool:
    return _norm(a) == _norm(b)


def _body_found(body: str, names: list[str]) -> bool:
    target = word_fold(re.sub(r"\s*[-–(].*$", "", body)) or word_fold(body)
    acronyms = set(re.findall(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b", body))
    for name in names:
        folded = word_fold(name)
        if not folded:
            continue
        if acronyms & set(name.replace("/", " ").replace("(", " ").replace(")", " ").split()):
            return True
        if fuzz.partial_ratio(target, folded) >= _FUZZY and min(len(target), len(folded)) >= 3:
            return True
    return False


@dataclass
class Row:
    file: str
    built: bool = False
    error: str = ""
    found: int = 0
    gold: int = 0
    stated: int | None = None
    layout: str | None = None
    titles_tp: int = 0
    titles_found: int = 0  # titles produced where precision can be judged
    titles_gold: int = 0
    titles_recalled: int = 0
    invented: int = 0  # titles produced where gold has none at all
    bodies_gold: int = 0
    bodies_found: int = 0
    field_bodies_gold: int = 0  # in documents with a responsible field
    field_bodies_found: int = 0
    laws_gold: int = 0
    laws_found: int = 0
    sections: int = 0
    seconds: float = 0.0
    numbered: bool = False
    reasons: list[str] = field(default_factory=list)


def score_file(path: Path, gold: Gold, nlp) -> Row:
    """Build ``path`` and score it against ``gold``."""
    row = Row(path.name, gold=gold.count, numbered=gold.numbered)
    started = time.perf_counter()
    try:
        [ed] = extract(load_documents([path]), nlp=nlp)
    except DocumentError as exc:
        row.error = str(exc)
        return row
    row.seconds = round(time.perf_counter() - started, 2)
    seg = ed.segmentation
    row.built, row.found, row.stated, row.layout = True, len(ed.commitments), seg.stated, seg.layout
    row.sections, row.reasons = len(ed.sections), list(seg.reasons)
    found_titles = [ec.text.title for ec in ed.commitments if ec.text.title]
    gold_titles = [t for t in gold.titles if t]
    row.titles_gold = len(gold_titles)
    row.titles_recalled = sum(any(_same(t, f) for f in found_titles) for t in gold_titles)
    if gold.complete and gold_titles:
        row.titles_found = len(found_titles)
        row.titles_tp = sum(any(_same(f, t) for t in gold_titles) for f in found_titles)
    if gold.complete and not gold_titles:
        row.invented = len(found_titles)
    by_title = {_norm(ec.text.title): ec for ec in ed.commitments if ec.text.title}
    for k, bodies in enumerate(gold.responsible):
        if not bodies:
            continue
        title = gold.titles[k] if k < len(gold.titles) else None
        ec = by_title.get(_norm(title)) if title else None
        if ec is None and k < len(ed.commitments) and (not title or gold.numbered):
            ec = ed.commitments[k]
        names = []
        if ec is not None:
            names = [*ec.text.responsible, *(n for inst, _ in ec.responsible for n in (inst.name, *inst.acronyms))]
        hits = sum(_body_found(b, names) for b in bodies)
        row.bodies_gold += len(bodies)
        row.bodies_found += hits
        if any(c.text.responsible_span for c in ed.commitments):
            row.field_bodies_gold += len(bodies)
            row.field_bodies_found += hits
    laws = {m.entity.label for ec in ed.commitments for m in ec.mentions if m.kind == "law"}
    laws |= {m.entity.label for _, ms in ed.sections for m in ms if m.kind == "law"}
    row.laws_gold = len(gold.laws)
    row.laws_found = sum(any(fuzz.partial_ratio(word_fold(g), word_fold(f)) >= _FUZZY for f in laws) for g in gold.laws)
    return row


def run() -> list[Row]:
    """Score every file (see ``gold_files``)."""
    from ogp_graph.nlp.pipeline import build_nlp

    nlp = build_nlp()
    return [score_file(path, gold, nlp) for path, gold in gold_files().items()]


def totals(rows: list[Row]) -> dict:
    """The numbers the floors are about."""
    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 1.0

    numbered = [r for r in rows if r.numbered]
    return {
        "files": len(rows), "built": sum(r.built for r in rows),
        "exact_count_numbered": sum(r.found == r.gold for r in numbered), "numbered_files": len(numbered),
        "title_precision": ratio(sum(r.titles_tp for r in rows), sum(r.titles_found for r in rows)),
        "title_recall": ratio(sum(r.titles_recalled for r in rows), sum(r.titles_gold for r in rows)),
        "responsible_recall": ratio(sum(r.bodies_found for r in rows), sum(r.bodies_gold for r in rows)),
        "responsible_recall_with_field": ratio(sum(r.field_bodies_found for r in rows),
                                               sum(r.field_bodies_gold for r in rows)),
        "laws": f"{sum(r.laws_found for r in rows)}/{sum(r.laws_gold for r in rows)}",
        "invented_titles": sum(r.invented for r in rows),
        "seconds": round(sum(r.seconds for r in rows), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="also write the rows and totals here")
    args = parser.parse_args()
    rows = run()
    print(f"{'file':52} {'found':>5} {'gold':>4} {'stated':>6} {'titles P':>9} {'titles R':>9} "
          f"{'resp R':>7} {'laws':>5} {'sect':>4} {'s':>5}  layout")
    for r in rows:
        if not r.built:
            print(f"{r.file:52} ERROR {r.error}")
            continue
        p = f"{r.titles_tp}/{r.titles_found}" if r.titles_found else "-"
        print(f"{r.file:52} {r.found:5} {r.gold:4} {str(r.stated or '-'):>6} {p:>9} "
              f"{f'{r.titles_recalled}/{r.titles_gold}':>9} {f'{r.bodies_found}/{r.bodies_gold}':>7} "
              f"{f'{r.laws_found}/{r.laws_gold}':>5} {r.sections:4} {r.seconds:5.1f}  {r.layout}")
    summary = totals(rows)
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in rows], "totals": summary}, indent=1), "utf-8")


if __name__ == "__main__":
    main()
