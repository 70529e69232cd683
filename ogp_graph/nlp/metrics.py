"""spaCy component ``ogp_metrics``: money, counts, percentages and dates as ``doc.spans["ogp_metrics"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ogp_graph.metrics import find_quantities
from ogp_graph.nlp.spans import METRICS, set_span_group


def tag_metrics(doc: Doc) -> Doc:
    """Regex quantities aligned to tokens; ``kb_id_`` is the kind (money, count, percent, date)."""
    set_span_group(doc, METRICS, find_quantities(doc.text), "METRIC", lambda q: q.kind)
    return doc


@Language.factory("ogp_metrics", assigns=["doc.spans"])
def make_metric_tagger(nlp: Language, name: str):
    return tag_metrics
