"""Search indexes that grow and shrink: appending or dropping passages equals indexing from scratch."""
from __future__ import annotations

import json
import re
import zlib

import bm25s
import numpy as np
import pytest

from indexes.bm25 import BM25Index, analyze
from indexes.dense import DenseIndex
from indexes.passages import Passage
from indexes.search_index import SearchIndex
from tests.conftest import REPORT

QUERIES = ["acceso a la información pública", "presupuesto abierto municipal", "participación ciudadana",
           "transparencia fiscal", "open government", "ninguna palabra conocida zzzq"]


class WordHashEmbedder:
    """Feature hashing of words into 64 dimensions: deterministic, no model (tests only)."""

    name, dim, version = "test-hash", 64, "1"

    def encode(self, texts: list[str], *, kind: str = "passage", batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = zlib.crc32(word.encode())
                out[i, h % self.dim] += 1.0 if h & 1024 else -1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """The bundled report's non-empty lines, tags stripped: real text of every length."""
    lines = (" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in REPORT.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def passages(texts: list[str]) -> list[Passage]:
    return [Passage(f"c{i // 3}#p{i % 3}", f"c{i // 3}", t, "doc", 0, len(t), "body") for i, t in enumerate(texts)]


def test_bm25_scores_as_bm25s_does(texts):
    index = BM25Index.build(texts)
    reference = bm25s.BM25()
    reference.index([analyze(t) or ["_"] for t in texts], show_progress=False)
    for query in QUERIES:
        terms = [t for t in analyze(query) if t in reference.vocab_dict]
        expected = reference.get_scores(terms) if terms else np.zeros(len(texts))
        assert np.allclose(index.scores(query), expected, atol=1e-5), query
    assert index.scores("presupuesto").max() > 0 and not index.scores("zzzq").any()


def test_bm25_extend_and_select_equal_a_fresh_index(texts):
    half = len(texts) // 2
    grown = BM25Index.build(texts[:half]).extend(texts[half:])
    rows = [i for i in range(len(texts)) if i % 3]
    shrunk = BM25Index.build(texts).select(rows)
    for query in QUERIES:
        assert np.array_equal(grown.scores(query), BM25Index.build(texts).scores(query))
        assert np.array_equal(shrunk.scores(query), BM25Index.build([texts[i] for i in rows]).scores(query))
    assert len(shrunk.vocab) < len(BM25Index.build(texts).vocab) or len(rows) == len(texts)


def test_bm25_saved_and_loaded(texts, tmp_path):
    index = BM25Index.build(texts)
    index.save(tmp_path)
    loaded = BM25Index.load(tmp_path)
    assert all(np.array_equal(index.scores(q), loaded.scores(q)) for q in QUERIES)


def test_search_index_extend_and_select_equal_build(texts, tmp_path):
    embedder, all_passages = WordHashEmbedder(), passages(texts)
    half = len(all_passages) // 2
    fresh = SearchIndex.build(all_passages, embedder)
    grown = SearchIndex.build(all_passages[:half], embedder).extend(all_passages[half:])
    kept = [i for i, p in enumerate(all_passages) if not p.commitment.endswith("1")]
    shrunk = fresh.select(kept)
    smaller = SearchIndex.build([all_passages[i] for i in kept], embedder)
    assert np.array_equal(grown.vectors, fresh.vectors) and grown.config() == fresh.config()
    for a, b in ((grown, fresh), (shrunk, smaller)):
        for query in QUERIES[:5]:
            for mode in ("hybrid", "dense", "bm25"):
                assert a.search(query, k=5, mode=mode) == b.search(query, k=5, mode=mode), (query, mode)


class Counting(WordHashEmbedder):
    """The word-hashing embedder, recording every text it embeds."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts, **kw):
        self.seen.extend(texts)
        return super().encode(texts, **kw)


def test_a_text_is_embedded_once_across_builds_and_libraries(texts, tmp_path, monkeypatch):
    monkeypatch.setenv("OGP_KG_CACHE", str(tmp_path / "cache"))
    first, second, third = Counting(), Counting(), Counting()
    built = SearchIndex.build(passages(texts[:40]), first)
    again = SearchIndex.build(passages(texts[:50]), second)  # no reuse: another library
    assert sorted(first.seen) == sorted(set(texts[:40])) and sorted(second.seen) == sorted(set(texts[40:50]) - set(texts[:40]))
    assert np.array_equal(again.vectors[:40], built.vectors) and np.array_equal(again.vectors, SearchIndex.build(passages(texts[:50]), WordHashEmbedder()).vectors)
    monkeypatch.setenv("OGP_KG_CACHE", "off")
    SearchIndex.build(passages(texts[:40]), third)
    assert sorted(third.seen) == sorted(set(texts[:40]))


def test_vectors_of_another_model_version_are_never_reused(texts, tmp_path, monkeypatch):
    monkeypatch.setenv("OGP_KG_CACHE", str(tmp_path / "cache"))
    first, upgraded = Counting(), Counting()
    upgraded.version = "2"
    old = SearchIndex.build(passages(texts[:30]), first)
    assert old.made_by(first) and not old.made_by(upgraded)
    SearchIndex.build(passages(texts[:30]), upgraded, reuse=old)  # neither the cache nor ``old`` serve it
    assert sorted(upgraded.seen) == sorted(set(texts[:30]))
    old.save(tmp_path / "index")
    config = json.loads((tmp_path / "index" / "config.json").read_text())
    assert config["embedder_version"] == "1"
    del config["embedder_version"]  # an index saved before versions were kept
    (tmp_path / "index" / "config.json").write_text(json.dumps(config))
    monkeypatch.setattr("indexes.search_index.get_embedder", lambda name: first)
    assert not SearchIndex.load(tmp_path / "index").made_by(first)


def test_a_broken_vector_cache_costs_only_time(texts, tmp_path, monkeypatch, caplog):
    (tmp_path / "file").write_text("not a directory")
    monkeypatch.setenv("OGP_KG_CACHE", str(tmp_path / "file"))
    embedder = Counting()
    index = SearchIndex.build(passages(texts[:20]), embedder)
    assert len(index.passages) == 20 and sorted(embedder.seen) == sorted(set(texts[:20]))
    assert "vector cache" in caplog.text
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "vectors.sqlite3").write_bytes(b"\x00" * 4096)
    monkeypatch.setenv("OGP_KG_CACHE", str(tmp_path / "garbage"))
    assert np.array_equal(SearchIndex.build(passages(texts[:20]), Counting()).vectors, index.vectors)


def test_dense_extend_adds_vectors_and_turns_hnsw_past_the_exact_limit():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(60, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    small = DenseIndex.build(vectors[:40], exact_limit=50)
    grown = small.extend(vectors[40:45], exact_limit=50)
    assert grown.exact and len(grown) == 45 and len(small) == 40  # the original is untouched
    scores, ids = grown.search(vectors[42:43], 1)
    assert ids[0][0] == 42 and scores[0][0] == pytest.approx(1.0, abs=1e-5)
    past = grown.extend(vectors[45:], exact_limit=50)
    assert not past.exact and len(past) == 60
    assert past.search(vectors[55:56], 1)[1][0][0] == 55


def test_texts_all_in_the_vector_cache_never_load_the_model_and_a_damaged_vector_is_embedded_again(texts, tmp_path,
                                                                                                  monkeypatch):
    from indexes.vector_cache import embed, text_key, vector_cache

    monkeypatch.setenv("OGP_KG_CACHE", str(tmp_path / "cache"))
    first = embed(Counting(), texts[:10], kind="passage")

    class Unloaded(Counting):
        """An embedder whose model must not be loaded."""

        @property
        def dim(self) -> int:
            raise AssertionError("the model was loaded")

        def encode(self, texts, **kwargs):
            raise AssertionError("the model was loaded")

    assert np.array_equal(embed(Unloaded(), texts[:10], kind="passage"), first)
    vector_cache().put({text_key(Counting(), texts[0], "passage"): np.zeros(3, dtype=np.float32)})  # damaged
    again = Counting()
    assert np.array_equal(embed(again, texts[:10], kind="passage"), first) and again.seen == [texts[0]]
    assert np.array_equal(embed(Unloaded(), texts[:10], kind="passage"), first)  # and mended in the cache
