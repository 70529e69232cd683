"""The JSON API: semantic search, questions, commitments, health."""
from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from api.http import offload

router = APIRouter(tags=["api"])


class SearchRequest(BaseModel):
    q: str = Field(..., description="Texto a buscar (español o inglés)")
    k: int = Field(5, description="Número de compromisos")
    mode: str = Field("hybrid", description="hybrid | dense | bm25")


class AskRequest(BaseModel):
    q: str = Field(..., description="Pregunta en español")


@router.get("/search", summary="Búsqueda semántica de compromisos", response_model=None)
async def search_get(request: Request, q: str, k: int = 5, mode: str = "hybrid") -> dict:
    """The ``k`` commitments best matching ``q`` (``mode``: hybrid, dense or bm25)."""
    with request.app.state.live.use() as service:
        return {"query": q, "results": await offload(request, service.search, q, k=k, mode=mode)}


@router.post("/search", summary="Búsqueda semántica de compromisos (JSON)", response_model=None)
async def search_post(request: Request, body: SearchRequest) -> dict:
    """``search_get`` with the parameters in a JSON body."""
    return await search_get(request, body.q, body.k, body.mode)


@router.get("/ask", summary="Responder una pregunta en español", response_model=None)
async def ask_get(request: Request, q: str) -> dict:
    """The answer to question ``q``, with its SPARQL and evidence."""
    with request.app.state.live.use() as service:
        return (await offload(request, service.ask, q)).to_dict()


@router.post("/ask", summary="Responder una pregunta en español (JSON)", response_model=None)
async def ask_post(request: Request, body: AskRequest) -> dict:
    """``ask_get`` with the question in a JSON body."""
    return await ask_get(request, body.q)


@router.get("/commitments", summary="Todos los compromisos", response_model=None)
async def commitments(request: Request) -> list[dict]:
    """Every commitment of the graph."""
    with request.app.state.live.use() as service:
        return await offload(request, service.commitments)


@router.get("/commitments/{number}", summary="Un compromiso: instituciones, leyes, lugares, métricas",
            response_model=None)
async def commitment(request: Request, number: int, plan: str | None = None) -> dict:
    """Commitment ``number`` (of ``plan`` when given) with its institutions, laws, places and metrics."""
    with request.app.state.live.use() as service:
        return await offload(request, service.commitment, number, plan=plan)


@router.get("/health", summary="Liveness and what is loaded (the build id, never a path)", response_model=None)
async def health(request: Request) -> dict:
    """Liveness, the loaded build and the number of query workers."""
    with request.app.state.live.use() as service:
        return {"status": "ok", **service.status(), "query_workers": len(request.app.state.pool.pids())}
