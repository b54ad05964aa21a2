"""Album designs: spread templates, the layout of the client's photos, and the edits made on the
TV. Pure values and functions; the template files are read by `kiosk.albums`, and a design
joins the cart through `kiosk.core.cart.SetAlbumDesign`.

- templates.py  `parse_templates`: a shape's templates, checked (gutter, margins, overlaps)
- design.py     `Spread`, a design's edits: `swap`, `with_template`, `add_spread`, `remove_spread`
- layout.py     `lay_out`: the photos over spreads, orientation-aware, the favourite first
"""

from kiosk.core.album.design import (
    Design,
    Spread,
    add_spread,
    as_design,
    check_design,
    images_of,
    remove_spread,
    spare_images,
    swap,
    with_template,
)
from kiosk.core.album.layout import best_spread, lay_out
from kiosk.core.album.templates import AlbumShape, Cell, Template, parse_templates, shape_of

__all__ = [
    "AlbumShape",
    "Cell",
    "Design",
    "Spread",
    "Template",
    "add_spread",
    "as_design",
    "best_spread",
    "check_design",
    "images_of",
    "lay_out",
    "parse_templates",
    "remove_spread",
    "shape_of",
    "spare_images",
    "swap",
    "with_template",
]
