"""What ``ask`` returns (the one error it raises, ``QuestionError``, is in the error catalogue)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field



@dataclass(kw_only=True)
class Answer:
    """One answer; ``to_dict`` is the JSON of the CLI and of ``/ask`` (same keys in every language).

    ``known`` is False when the answer says it does not know; ``plans`` lists the plans the answer
    comes from; ``evidence`` are sentences of the source documents (text, source, character span).
    """

    question: str
    language: str
    intent: str
    answer: str
    known: bool = True
    plans: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    sparql: str | None = None
    evidence: list[dict] = field(default_factory=list)
    confidence: float = 0.0

    def to_dict(self) -> dict:
        """The answer as plain JSON-ready data."""
        return asdict(self)
