"""The cart's commands as values and as the event log writes them (`to_json`,
`command_from_json`); what each may do is `kiosk.core.cart.rules`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, TypeAlias

from kiosk.core.album.design import as_design
from kiosk.core.crop import Crop
from kiosk.core.errors import CartError, CommandError
from kiosk.core.pricing import StudioDiscount
from kiosk.core.pricing.advisor import CartChange

MAX_QUANTITY = 99
# Who may give a studio discount: the event log's actor of the photographer's paired tablet
# (kiosk.web.commands.ACTOR). The touch screen's commands come as "touch".
STUDIO_DISCOUNT_ACTORS = frozenset({"remote"})


@dataclass(frozen=True)
class AddLine:
    kind: ClassVar[str] = "add_line"
    product: str
    variant: str
    options: Mapping[str, str] = field(default_factory=dict)
    images: tuple[int, ...] = ()
    quantity: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "product": self.product,
            "variant": self.variant,
            "options": dict(self.options),
            "images": list(self.images),
            "quantity": self.quantity,
        }


@dataclass(frozen=True)
class RemoveLine:
    kind: ClassVar[str] = "remove_line"
    line: str  # the line's id, "L1", "L2"...

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "line": self.line}


@dataclass(frozen=True)
class SetQuantity:
    kind: ClassVar[str] = "set_quantity"
    line: str
    quantity: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "line": self.line, "quantity": self.quantity}


@dataclass(frozen=True)
class ChooseCollection:
    kind: ClassVar[str] = "choose_collection"
    collection: str | None  # None: à la carte only

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "collection": self.collection}


@dataclass(frozen=True)
class ApplyPromo:
    kind: ClassVar[str] = "apply_promo"
    code: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code}


@dataclass(frozen=True)
class RemovePromo:
    kind: ClassVar[str] = "remove_promo"
    code: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code}


@dataclass(frozen=True)
class SetStudioDiscount:
    """The photographer's own discount: a whole `percent` or an `amount` in minor units, with
    the reason the invoice shows; both None takes it away. One at a time: a new one replaces."""

    kind: ClassVar[str] = "set_studio_discount"
    percent: int | None = None
    amount: int | None = None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "percent": self.percent,
            "amount": self.amount,
            "reason": self.reason,
        }

    def discount(self) -> StudioDiscount | None:
        """The pricing engine's value; CommandError when the numbers make no discount."""
        if self.percent is None and self.amount is None:
            return None
        try:
            return StudioDiscount(self.percent, self.amount, self.reason)
        except CartError as exc:
            raise CommandError(str(exc)) from exc


@dataclass(frozen=True)
class Switch:
    """Several cart commands as one step: the advisor's suggestion, taken with one tap. They
    are checked in turn, written as one event, and one Undo takes them all back."""

    kind: ClassVar[str] = "switch"
    commands: tuple[AddLine | RemoveLine | ChooseCollection, ...]

    @classmethod
    def taking(cls, change: CartChange) -> Switch:
        """The commands for an advice's change: its lines out, its lines in, its collection."""
        commands: list[AddLine | RemoveLine | ChooseCollection] = [
            RemoveLine(line_id) for line_id in change.remove
        ]
        commands += [
            AddLine(line.product, line.variant, line.option_map, line.images, line.quantity)
            for line in change.add
        ]
        if change.choose_collection:
            commands.append(ChooseCollection(change.collection))
        return cls(tuple(commands))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "commands": [c.to_json() for c in self.commands]}


@dataclass(frozen=True)
class SetAlbumDesign:
    """An album line's whole design, replacing the one before (so Undo brings that back): its
    spreads in order, each a template id and the images in its cells (kiosk.core.album). The
    line's images and spread count then come from it, and so does its price."""

    kind: ClassVar[str] = "set_album_design"
    line: str
    spreads: tuple[tuple[str, tuple[int, ...]], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "line": self.line,
            "spreads": [[template, list(images)] for template, images in self.spreads],
        }


SWITCHABLE = ("add_line", "remove_line", "choose_collection")  # what a Switch may hold


@dataclass(frozen=True)
class SetCrop:
    """The client's crop of a print or wall-art line: the box in fractions of the upright
    original (kiosk.core.crop.Crop); its shape says the orientation of the print."""

    kind: ClassVar[str] = "set_crop"
    line: str
    x: float
    y: float
    w: float
    h: float

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "line": self.line,
            "x": self.x,
            "y": self.y,
            "w": self.w,
            "h": self.h,
        }

    @property
    def crop(self) -> Crop:
        return Crop(self.x, self.y, self.w, self.h)


CartCommand: TypeAlias = (
    AddLine
    | RemoveLine
    | SetQuantity
    | ChooseCollection
    | ApplyPromo
    | RemovePromo
    | SetStudioDiscount
    | Switch
    | SetAlbumDesign
    | SetCrop
)
CART_TYPES = (
    AddLine,
    RemoveLine,
    SetQuantity,
    ChooseCollection,
    ApplyPromo,
    RemovePromo,
    SetStudioDiscount,
    Switch,
    SetCrop,
    SetAlbumDesign,
)
CART_COMMANDS = {c.kind: c for c in CART_TYPES}


def command_from_json(data: Mapping[str, Any]) -> CartCommand:
    kind = data.get("kind")
    if kind not in CART_COMMANDS:
        raise CommandError(f"Unknown cart command {kind!r}; known: {', '.join(CART_COMMANDS)}.")
    fields_ = {k: v for k, v in data.items() if k != "kind"}
    command = CART_COMMANDS[kind]
    known = [f.name for f in fields(command)]
    required = [
        f.name for f in fields(command) if f.default is MISSING and f.default_factory is MISSING
    ]
    unknown = sorted(set(fields_) - set(known))
    missing = [name for name in required if name not in fields_]
    if unknown or missing:
        problem = (
            f"has no {', '.join(map(repr, unknown))}" if unknown else f"needs {', '.join(missing)}"
        )
        raise CommandError(f"The {kind} command {problem}; its fields: {', '.join(known)}.")
    if kind == "set_album_design":
        return _design_command(fields_)
    if kind == "switch":
        return _switch_from_json(fields_["commands"])
    try:
        if kind == "add_line":
            fields_["images"] = tuple(int(i) for i in fields_.get("images", ()))
            fields_["options"] = {str(k): str(v) for k, v in fields_.get("options", {}).items()}
        return command(**fields_)
    except (TypeError, ValueError, AttributeError) as exc:
        raise CommandError(f"The {kind} command is malformed ({exc}).") from exc


def _design_command(fields_: Mapping[str, Any]) -> SetAlbumDesign:
    raw = fields_["spreads"]
    try:
        spreads = as_design(raw)
    except (TypeError, ValueError) as exc:
        raise CommandError(
            f"The set_album_design command's spreads must be [template, [images]] pairs ({exc})."
        ) from exc
    return SetAlbumDesign(str(fields_["line"]), spreads)


def _switch_from_json(raw: object) -> Switch:
    if not isinstance(raw, list) or not raw:
        raise CommandError("A switch command needs a list of commands.")
    for item in raw:
        if not isinstance(item, Mapping) or item.get("kind") not in SWITCHABLE:
            raise CommandError(
                f"A switch holds only {', '.join(SWITCHABLE)} commands, not {item!r}."
            )
    return Switch(tuple(command_from_json(item) for item in raw))  # type: ignore[misc]
