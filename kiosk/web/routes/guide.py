"""The studio's Product & Pricing Guide on a phone, and as the PDF, for anyone with the link
(the invitation e-mail carries it): no pairing, nothing of any client's in it.

    GET /guide          the guide as a page: collections, products, payment plans, notes
    GET /guide.pdf      the same as a PDF (kiosk/guide/pdf.py), on the studio's paper
    GET /guide/p/{id}.jpg   a product's picture (kiosk/guide/pictures.py), made once and kept

Both are made from the price list in force, so they always say what the kiosk charges.
"""

from __future__ import annotations

import asyncio
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from kiosk.checkout.settings import studio_details
from kiosk.core.guide import pricing_guide
from kiosk.guide.pdf import render_guide_pdf
from kiosk.guide.pictures import guide_pictures
from kiosk.web.context import Reveal, reveal

router = APIRouter()


@router.get("/guide")
async def guide_page(request: Request) -> Response:
    r = reveal(request)
    guide = pricing_guide(r.studio.pricelist.current, today=date.today())
    studio = studio_details(r.studio.store)
    pictures = await asyncio.get_running_loop().run_in_executor(None, _pictures, r)
    context = {
        "guide": guide,
        "studio": studio,
        "name": studio.name or guide.studio,
        "pictures": set(pictures),
    }
    return r.templates.TemplateResponse(request, "guide.html", context)


@router.get("/guide.pdf")
async def guide_pdf(request: Request) -> Response:
    r = reveal(request)
    guide = pricing_guide(r.studio.pricelist.current, today=date.today())
    studio = studio_details(r.studio.store)
    paper = r.studio.paper
    # Rendering takes a tenth of a second: not on the loop the TV draws on.
    pdf = await asyncio.get_running_loop().run_in_executor(
        None, lambda: render_guide_pdf(guide, studio, paper=paper, pictures=_pictures(r))
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="pricing-guide.pdf"'},
    )


@router.get("/guide/p/{product_id}.jpg")
async def guide_picture(request: Request, product_id: str) -> Response:
    r = reveal(request)
    pictures = await asyncio.get_running_loop().run_in_executor(None, _pictures, r)
    path = pictures.get(product_id)  # only the list's own ids: never a path from the request
    if path is None:
        return Response("No such product in the guide.", status_code=404)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "max-age=3600"})


def _pictures(r: Reveal) -> dict:
    return guide_pictures(r.studio.pricelist.current, r.studio.paths.cache / "guide")
