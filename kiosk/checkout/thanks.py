"""What the thank-you screen tells a client who has just confirmed: what happens next, in one or
two sentences that follow their order, and the phone link in a form a person can read.

    next_steps(invoice, pricelist)
    # "We retouch the 2 photos you marked, then make your products and send them to you.
    #  Your digital files open in your gallery once the order is paid in full."
    short_link("http://192.168.1.20:8470/i/Zk3p...Q")   # "192.168.1.20:8470/i/Zk3p…"
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kiosk.core.invoices import Invoice
from kiosk.core.pricelist import PriceList

TOKEN_SHOWN = 4  # characters of the token on screen; the QR code carries all of it


def short_link(url: str) -> str:
    """The phone page's address without its scheme and with the token abbreviated."""
    parts = urlsplit(url)
    path = parts.path
    if "/i/" in path:
        head, token = path.rsplit("/i/", 1)
        path = f"{head}/i/{token[:TOKEN_SHOWN]}…" if len(token) > TOKEN_SHOWN else path
    return f"{parts.netloc}{path}"


def next_steps(invoice: Invoice, pricelist: PriceList | None) -> str:
    kinds = {line.kind for line in invoice.lines}
    made = kinds - {"digital"}
    retouched = sum(1 for image in invoice.images if image.has_retouch)
    sentences = []
    first = []
    if retouched:
        first.append(f"We retouch the {_photos(retouched)} you marked")
    if made:
        first.append(
            f"{'then ' if first else 'We '}make your products {_delivery(invoice, pricelist)}"
        )
    if first:
        sentences.append(", ".join(first) + ".")
    if "digital" in kinds:
        when = (
            "once the last payment is made"
            if invoice.breakdown.get("instalments")
            else "once the order is paid in full"
        )
        sentences.append(f"Your digital files open in your gallery {when}.")
    if not sentences:
        sentences.append("The studio will be in touch about your order.")
    return " ".join(sentences)


def _photos(n: int) -> str:
    return "photo" if n == 1 else f"{n} photos"


def _delivery(invoice: Invoice, pricelist: PriceList | None) -> str:
    """How the products reach the client, as the order's shipping method says."""
    chosen = invoice.cart.get("shipping")
    method = None
    if pricelist is not None:
        method = pricelist.shipping_method(chosen) if chosen else pricelist.default_shipping
    if method is None:
        return "and the studio tells you when they are ready"
    words = f"{method.id} {method.name}".lower()
    if any(w in words for w in ("pick", "collect")):
        return "and have them ready for you to collect at the studio"
    if any(w in words for w in ("ship", "mail", "post", "courier")):
        return "and send them to you"
    return f"for {method.name[:1].lower()}{method.name[1:]}"  # "for delivery and hanging"
