"""Draw the pictures of products that do not hang on a wall: an album, a tablet for digital
files, a print being retouched. Each is a transparent PNG with a window where the order screen
lays the client's photo (`kiosk.imaging.productshots.WINDOWS`).

    .venv/bin/python scripts/make_product_pictures.py      # writes assets/products/*.png

Drawn at twice the size and reduced, for clean edges. Re-run after changing WINDOWS.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.imaging.productshots import PICTURES, cut_window, window_box  # noqa: E402

SIZE = 1024
SS = 2  # supersampling
S = SIZE * SS
GOLD = (217, 178, 115, 255)


def box(left: float, top: float, right: float, bottom: float) -> tuple[int, int, int, int]:
    return round(left * S), round(top * S), round(right * S), round(bottom * S)


def shadow(canvas: Image.Image, rect, radius: float, blur: float, alpha: int) -> None:
    """A soft shadow under an object, composited before the object is drawn."""
    mask = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(rect, radius=round(radius * S), fill=alpha)
    mask = mask.filter(ImageFilter.GaussianBlur(blur * S))
    dark = Image.new("RGBA", canvas.size, (30, 24, 18, 0))
    dark.putalpha(mask)
    canvas.alpha_composite(dark)


def texture(size: tuple[int, int], colour, amount: int) -> Image.Image:
    """A flat colour with fine noise: linen, leather, a matte body."""
    noise = Image.effect_noise(size, 40).point(lambda v: 255 - amount + amount * v // 255)
    tint = Image.new("RGB", size, colour[:3])
    return ImageChops.multiply(tint, Image.merge("RGB", (noise, noise, noise))).convert("RGBA")


def album() -> Image.Image:
    pic = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    shadow(pic, box(0.2, 0.21, 0.83, 0.83), 0.02, 0.025, 150)
    draw = ImageDraw.Draw(pic)
    # The page block shows at the fore-edge and the foot, cream with fine page lines.
    draw.rounded_rectangle(
        box(0.2, 0.17, 0.815, 0.815), radius=round(0.01 * S), fill=(238, 232, 216, 255)
    )
    for i in range(6):
        y = (0.795 + i * 0.003) * S
        draw.line((0.22 * S, y, 0.805 * S, y), fill=(205, 198, 182, 255), width=2)
        x = (0.795 + i * 0.003) * S
        draw.line((x, 0.19 * S, x, 0.8 * S), fill=(205, 198, 182, 255), width=2)
    cover = box(0.18, 0.15, 0.8, 0.79)
    linen = texture((cover[2] - cover[0], cover[3] - cover[1]), (78, 86, 98), 34)
    mask = Image.new("L", linen.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *linen.size), radius=round(0.012 * S), fill=255)
    pic.paste(linen, cover[:2], mask)
    # The spine's hinge: a groove a little in from the left edge.
    draw.rectangle(box(0.18, 0.15, 0.235, 0.79), fill=(62, 69, 80, 255))
    draw.line((0.235 * S, 0.15 * S, 0.235 * S, 0.79 * S), fill=(44, 49, 58, 255), width=6)
    draw.line((0.24 * S, 0.15 * S, 0.24 * S, 0.79 * S), fill=(104, 112, 124, 255), width=3)
    # The photo's debossed window: a dark lip above and left, a lit one below and right.
    left, top, right, bottom = window_box("album", S)
    lip = round(0.008 * S)
    draw.rectangle((left - lip, top - lip, right + lip, bottom + lip), fill=(40, 44, 52, 255))
    draw.line(
        (left - lip, bottom + lip, right + lip, bottom + lip), fill=(120, 128, 140, 255), width=lip
    )
    draw.line(
        (right + lip, top - lip, right + lip, bottom + lip), fill=(110, 118, 130, 255), width=lip
    )
    return cut_window(pic, "album")


def digital() -> Image.Image:
    pic = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    body = box(0.15, 0.22, 0.85, 0.73)
    shadow(pic, box(0.16, 0.25, 0.86, 0.77), 0.05, 0.025, 160)
    draw = ImageDraw.Draw(pic)
    draw.rounded_rectangle(body, radius=round(0.045 * S), fill=(52, 54, 58, 255))
    draw.rounded_rectangle(
        box(0.155, 0.225, 0.845, 0.725), radius=round(0.041 * S), fill=(24, 25, 28, 255)
    )
    draw.ellipse(box(0.162, 0.468, 0.176, 0.482), fill=(60, 62, 68, 255))  # the camera
    pic = cut_window(pic, "digital")
    # A download badge over the corner: a file to keep, not a print.
    draw = ImageDraw.Draw(pic)
    shadow(pic, box(0.7, 0.64, 0.89, 0.83), 0.095, 0.012, 120)
    draw.ellipse(box(0.7, 0.62, 0.88, 0.8), fill=GOLD)
    cx, cy = 0.79 * S, 0.71 * S
    w = round(0.014 * S)
    draw.line((cx, cy - 0.05 * S, cx, cy + 0.03 * S), fill=(40, 32, 20, 255), width=w)
    draw.line(
        (cx - 0.035 * S, cy, cx, cy + 0.037 * S, cx + 0.035 * S, cy),
        fill=(40, 32, 20, 255),
        width=w,
        joint="curve",
    )
    draw.line(
        (cx - 0.045 * S, cy + 0.055 * S, cx + 0.045 * S, cy + 0.055 * S),
        fill=(40, 32, 20, 255),
        width=w,
    )
    return pic


def star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill) -> None:
    """A four-pointed sparkle."""
    k = r * 0.22
    points = [
        (cx, cy - r),
        (cx + k, cy - k),
        (cx + r, cy),
        (cx + k, cy + k),
        (cx, cy + r),
        (cx - k, cy + k),
        (cx - r, cy),
        (cx - k, cy - k),
    ]
    draw.polygon([(x * S, y * S) for x, y in points], fill=fill)


def retouch() -> Image.Image:
    pic = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    shadow(pic, box(0.14, 0.19, 0.69, 0.76), 0.005, 0.018, 140)
    draw = ImageDraw.Draw(pic)
    draw.rectangle(box(0.13, 0.16, 0.69, 0.74), fill=(250, 249, 245, 255))  # the print's border
    pic = cut_window(pic, "retouch")
    draw = ImageDraw.Draw(pic)
    # A retoucher's stylus resting across the print's corner.
    tip, end = (0.6 * S, 0.62 * S), (0.9 * S, 0.88 * S)
    shade = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    ImageDraw.Draw(shade).line(
        (tip[0] + 0.02 * S, tip[1] + 0.03 * S, end[0] + 0.02 * S, end[1] + 0.03 * S),
        fill=(30, 24, 18, 130),
        width=round(0.04 * S),
    )
    pic.alpha_composite(shade.filter(ImageFilter.GaussianBlur(0.012 * S)))
    draw.line((*tip, *end), fill=(38, 40, 46, 255), width=round(0.04 * S))
    draw.line(
        (tip[0] + 0.02 * S, tip[1] + 0.017 * S, end[0], end[1] - 0.005 * S),
        fill=(90, 94, 104, 255),
        width=round(0.008 * S),
    )
    draw.polygon(
        [
            (tip[0] - 0.045 * S, tip[1] - 0.04 * S),
            (tip[0] + 0.014 * S, tip[1] - 0.015 * S),
            (tip[0] - 0.015 * S, tip[1] + 0.017 * S),
        ],
        fill=GOLD,
    )
    for cx, cy, r in (
        (0.73, 0.3, 0.06),
        (0.82, 0.43, 0.035),
        (0.75, 0.52, 0.025),
        (0.57, 0.29, 0.03),
    ):
        star(draw, cx, cy, r, GOLD if r > 0.03 else (255, 250, 236, 255))
    return pic


def main() -> None:
    PICTURES.mkdir(parents=True, exist_ok=True)
    for name, draw in (("album", album), ("digital", digital), ("retouch", retouch)):
        picture = draw().resize((SIZE, SIZE), Image.Resampling.LANCZOS)
        path = PICTURES / f"{name}.png"
        picture.save(path, optimize=True)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
