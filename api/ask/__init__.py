"""Questions answered from the graph, offline, without an LLM (Spanish, English, Portuguese).

A question is analysed (language, linked entities, plans in scope), its intent found among
labelled example phrasings (``data/intents.json``) by nearest neighbours in the multilingual
embedding space plus cue words (``data/cues.json``), and answered by a builder that composes the
SPARQL from those parts and quotes the document sentences the graph's provenance points to.
When the graph holds no fact of the asked type for what the question names, the answer says so.
"""
from api.ask.answer import Answer
from api.ask.asker import Asker
from api.errors import QuestionError

__all__ = ["Answer", "Asker", "QuestionError"]
