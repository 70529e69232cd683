"""spaCy component ``ogp_metrics``: money, counts, percentages and dates as ``doc.spans["ogp_metrics"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ogp_graph.metrics import find_quantities
from ogp_graph.nlp.spans import METRICS


def tag_metrics(doc: Doc) -> Doc:
    """Regex quantities aligned to tokens; ``kb_id_`` is the kind (money, count, percent, date)."""
    spans = []
    for q in find_quantities(doc.text):
        span = doc.char_span(q.start, q.end, label="METRIC", kb_id=q.kind, alignment_mode="expand")
        if span is not None:
            span._.ogp = q
            spans.append(span)
    doc.spans[METRICS] = SpanGroup(doc, name=METRICS, spans=spans)
    return doc


@Language.factory("ogp_metrics", assigns=["doc.spans"])
def make_metric_tagger(nlp: Language, name: str):
    return tag_metrics
