"""What a commitment states about itself — completion, percentage, milestones, OGP values — found by
spaCy components on commitment docs only, from the cue data."""
import pytest

from ogp_graph.nlp.mentions import mentions
from ogp_graph.nlp.pipeline import build_nlp, make_doc
from ogp_graph.nlp.spans import CommitmentParts
from ogp_graph.statements import Completion, CompletionPercent, completion, milestones

BODY = ("Compromiso 4. Datos abiertos de contrataciones\n"
        "Avance: sustancial. Se alcanzó un 83,5 % de cumplimiento con apoyo de la sociedad civil.\n"
        "Hito 1: Publicar el portal de datos abiertos.\nHito 2: Capacitar a 40 municipalidades.\n\n"
        "Transparencia y acceso a la información pública para la rendición de cuentas.")


def _body_only(text: str) -> list[tuple[int, int]]:
    return [(text.index("Avance"), len(text))]


def test_completion_level_and_percent_with_their_spans():
    level, percent = completion(BODY, _body_only(BODY))
    assert level == Completion("Substantial", BODY.index("Avance"), BODY.index(". Se"))
    assert percent.value == "83.5" and BODY[percent.start : percent.end] == "83,5 % de cumplimiento"


def test_milestones_in_number_order_only_inside_the_spans():
    found = milestones(BODY, _body_only(BODY))
    assert [(m.number, BODY[m.start : m.end].strip()) for m in found] == [
        (1, "Hito 1: Publicar el portal de datos abiertos."), (2, "Hito 2: Capacitar a 40 municipalidades.")]
    assert milestones(BODY, [(0, BODY.index("Hito 1"))]) == []


def test_dated_items_after_a_milestone_heading_are_milestones_in_text_order():
    text = ("DESCRIPCIÓN: Se busca acompañar a las entidades.\n"
            "METAS: 12/15: Acompañadas entidades de salud en la implementación de la Ley\n1712 de 2014.\n"
            "06/16 y 06/17: Implementados 3 pilotos, por cada año.\n06/17: Asistencia técnica a entidades.\n\n"
            "Otro párrafo 07/18: sin metas.")
    found = milestones(text, [(0, len(text))])
    assert [(m.number, text[m.start : m.end]) for m in found] == [
        (1, "12/15: Acompañadas entidades de salud en la implementación de la Ley\n1712 de 2014."),
        (2, "06/16 y 06/17: Implementados 3 pilotos, por cada año."), (3, "06/17: Asistencia técnica a entidades.")]
    assert milestones(text, [(0, text.index("METAS"))]) == []
    numbered = BODY + "\nMetas: 12/15: otra."
    assert [m.number for m in milestones(numbered, _body_only(numbered))] == [1, 2]  # numbered ones first


@pytest.mark.parametrize("text", ["", "Avance:", "Hito : x", "% de cumplimiento", "Hito 99999: x", "\n" * 10_000,
                                  "METAS: 12/15:", "Metas: 1/1:\n\n2/2:"])
def test_hostile_text_gives_nothing_or_something_well_formed(text):
    level, percent = completion(text, [(0, len(text))])
    assert level is None and percent is None
    assert all(0 <= m.start < m.end <= len(text) for m in milestones(text, [(0, len(text))]))


def test_components_act_on_commitments_only():
    nlp = build_nlp()
    start = BODY.index("Avance")
    parts = CommitmentParts(body=((start, len(BODY)),))
    as_commitment = {m.kind for m in mentions(nlp(make_doc(nlp, BODY, "GT", parts=parts)))}
    as_section = {m.kind for m in mentions(nlp(make_doc(nlp, BODY, "GT")))}
    assert {"status", "milestone", "value"} <= as_commitment
    assert not as_section & {"status", "milestone", "value", "responsible"}
    stated = [m.entity for m in mentions(nlp(make_doc(nlp, BODY, "GT", parts=parts))) if m.kind == "status"]
    assert {type(s) for s in stated} == {Completion, CompletionPercent}


def test_a_stated_percentage_is_written_in_its_documents_language(tmp_path):
    import pyoxigraph

    from ogp_graph.build import extract, load_documents, write_graph
    from tests.test_segment import FIXTURES

    text = (FIXTURES / "plan-paren-list.txt").read_text(encoding="utf-8")
    (tmp_path / "plan.txt").write_text(text.replace("each spending line,", "each spending line (80% complete),"),
                                       encoding="utf-8")
    store = pyoxigraph.Store()
    write_graph(extract(load_documents([tmp_path / "plan.txt"])), store)
    said = [r["d"] for r in store.query("""SELECT ?d WHERE { ?c <https://w3id.org/ogp-kg/ontology#completionPercent> ?m .
                                              ?m <http://schema.org/description> ?d }""")]
    assert [(d.value, d.language) for d in said] == [("80% complete", "en")]
