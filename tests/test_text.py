"""The text toolkit: a sentence splitter that survives abbreviations, decimals and ordinals."""
from ogp_graph.text import match_form, sentence_at, sentences


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
