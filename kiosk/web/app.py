"""The FastAPI application for the photographer's tablet and the client's phone."""

from __future__ import annotations

from fastapi import FastAPI


def create_app(kiosk) -> FastAPI:
    """`kiosk` is the running RevealApp: its live session is the one state every view renders."""
    api = FastAPI(title="Reveal", docs_url=None, redoc_url=None, openapi_url=None)
    api.state.kiosk = kiosk

    @api.get("/health")
    async def health() -> dict:
        return {"ok": True, "session": kiosk.session.id, "images": len(kiosk.images)}

    return api
