"""The text toolkit: a sentence splitter that survives abbreviations, decimals and ordinals; the
purpose-named folds; the one language detector."""
import pytest

from ogp_graph.text import detect_language, match_form, name_key, sentence_at, sentences, strip_accents, word_fold


def _split(text: str) -> list[str]:
    return [text[b:e] for b, e in sentences(text)]


def test_abbreviations_decimals_and_ordinals_do_not_end_sentences():
    text = ("Se aprobó mediante el Decreto No. 9-2017 la Convención. Las reformas (Decretos Nos. 9-2015 y 46-2016) "
            "siguen. Asignación de Q. 95,613,729.00 para 494 Puestos. Ahorro del 4.0% con relación al año. "
            "Se realizará el 2do. Diplomado. Según el Art. 36 de la ley. Fin.")
    assert _split(text) == [
        "Se aprobó mediante el Decreto No. 9-2017 la Convención.",
        "Las reformas (Decretos Nos. 9-2015 y 46-2016) siguen.",
        "Asignación de Q. 95,613,729.00 para 494 Puestos.",
        "Ahorro del 4.0% con relación al año.",
        "Se realizará el 2do. Diplomado.",
        "Según el Art. 36 de la ley.",
        "Fin.",
    ]


def test_line_breaks_and_table_cells_end_sentences_and_offsets_index_the_text():
    text = "<p>Responsable: MINFIN</p>\t<p>situación que representó un ahorro.</p>\nU.S. agencies act. Next one"
    spans = sentences(text)
    assert [text[b:e] for b, e in spans] == ["Responsable: MINFIN", "situación que representó un ahorro.",
                                             "U.S. agencies act.", "Next one"]
    start = text.index("ahorro")
    assert text[slice(*sentence_at(text, start, start + 6))] == "situación que representó un ahorro."


def test_match_form_folds_accents_case_and_question_marks():
    assert match_form("¿Quién es RESPONSABLE  del compromiso?") == "quien es responsable del compromiso"


def test_each_fold_keeps_what_its_purpose_needs():
    assert strip_accents("Información pública, Ñuñoa") == "Informacion publica, Nunoa"
    assert len(strip_accents("acción")) == len("acción")  # offsets survive
    assert word_fold("Responsable_del-Compromiso.") == "responsable del compromiso"
    assert name_key("«Ministerio de  Educación».") == "ministerio de educacion"
    assert name_key('"SEGEPLAN"') == name_key("Segeplan") == "segeplan"


@pytest.mark.parametrize("text", ["", " ", "\x00\ufeff", "¿?¡!", "٣٤٥", "🙂" * 1000, "a" * 200_000, "\u0301" * 50])
def test_folds_and_detector_survive_hostile_input(text):
    for fold in (strip_accents, word_fold, match_form, name_key):
        assert isinstance(fold(text), str)
    assert detect_language(text) == "es" and detect_language(text, default="en") == "en"


@pytest.mark.parametrize("text, lang", [
    ("¿Quién es responsable del compromiso 3?", "es"),
    ("cuantos compromisos hay", "es"),
    ("Which agency leads the open data commitment?", "en"),
    ("how many commitments", "en"),
    ("Quantos compromissos tem o plano de São Paulo?", "pt"),
    ("Combien d'engagements dans le plan?", "fr"),
    ("El Ministerio de Finanzas Públicas publicará los datos de las compras del Estado en el portal.", "es"),
    ("The Department will publish the data of the federal agencies on the portal.", "en"),
])
def test_one_detector_from_questions_to_documents(text, lang):
    assert detect_language(text) == lang
