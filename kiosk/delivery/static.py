"""The client's gallery as a self-contained folder: `index.html`, the photos under their clean
names, their thumbnails and the ZIP of them all, for a USB stick or any static web host.

    folder = write_static_gallery(gallery, studio, Path("/media/usb/Whitfield"))

Every link in `index.html` is relative, so the page works from `file://` as well as from a web
server; nothing is loaded from anywhere else (the styles are in the page). Only an open gallery
is written (paid in full, every final in): the same rule as `/g/<token>`.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from kiosk.core.errors import CommandError
from kiosk.core.invoices import StudioDetails
from kiosk.delivery.gallery import Gallery

STYLE = """
body{margin:0;background:#0e0d0c;color:#f5f2ed;font:16px/1.45 -apple-system,"Segoe UI",
Helvetica,Arial,sans-serif}main{max-width:720px;margin:0 auto;padding:28px 20px 40px}
.brand{font-size:13px;font-weight:600;letter-spacing:.14em;text-transform:uppercase;
color:#d9b373;margin:0}h1{font-size:30px;margin:8px 0 4px}.dim{color:rgba(245,242,237,.62)}
.all{display:flex;align-items:center;justify-content:center;min-height:56px;margin:20px 0;
border-radius:12px;background:#d9b373;color:#1a1510;font-weight:600;text-decoration:none}
ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,
minmax(200px,1fr));gap:16px}li{background:#1b1917;border:1px solid #302c29;border-radius:14px;
overflow:hidden}img{display:block;width:100%;height:auto}li a{display:block;padding:14px 16px;
color:#f5f2ed;text-decoration:none}
"""


def write_static_gallery(gallery: Gallery, studio: StudioDetails, dest: Path) -> Path:
    """Write the folder (CommandError while the gallery is locked); returns `dest`. An earlier
    folder at `dest` is replaced only once the new one is whole."""
    if not gallery.state.open:
        why = "not paid in full" if not gallery.state.paid_in_full else gallery.state.text
        raise CommandError(f"The gallery of order {gallery.invoice.reference} is locked ({why}).")
    dest = Path(dest).expanduser()
    work = dest.with_name(dest.name + ".part")
    if work.exists():
        shutil.rmtree(work)
    (work / "photos").mkdir(parents=True)
    (work / "thumbs").mkdir()
    for f in gallery.files:
        shutil.copy2(f.path, work / "photos" / f.name)
        if f.thumb_path and Path(f.thumb_path).is_file():
            shutil.copyfile(f.thumb_path, work / "thumbs" / (f.name.rsplit(".", 1)[0] + ".jpg"))
    with open(work / gallery.zip_name, "wb") as out:
        for chunk in gallery.zip.read():
            out.write(chunk)
    (work / "index.html").write_text(_index(gallery, studio), encoding="utf-8")
    if dest.exists():
        shutil.rmtree(dest)
    work.replace(dest)
    return dest


def _index(gallery: Gallery, studio: StudioDetails) -> str:
    e = html.escape
    name = studio.name or gallery.invoice.studio
    items = []
    for f in gallery.files:
        stem = f.name.rsplit(".", 1)[0]
        thumb = f'<img src="thumbs/{stem}.jpg" alt="{e(f.name)}">' if f.thumb_path else ""
        items.append(
            f'<li><a href="photos/{f.name}" download>{thumb}</a>'
            f'<a href="photos/{f.name}" download>{e(f.name)}</a></li>'
        )
    size = gallery.zip.size / 1_000_000
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Your photos · {e(name)}</title><style>{STYLE}</style></head><body><main>"
        f'<p class="brand">{e(name)}</p><h1>Your photos</h1>'
        f'<p class="dim">{e(gallery.invoice.client.name)} · order {gallery.invoice.reference}</p>'
        f'<a class="all" href="{gallery.zip_name}" download>Download all ({size:.1f} MB)</a>'
        f"<ul>{''.join(items)}</ul></main></body></html>\n"
    )
