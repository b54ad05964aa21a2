"""Every error a person reads comes from here: what happened, and what to do about it."""

from __future__ import annotations


class RevealError(Exception):
    """Base of Reveal's errors; `str()` is a sentence a photographer can act on."""


class StudioError(RevealError):
    """The studio folder or its database cannot be used."""


class ImportFolderError(RevealError):
    """A session folder cannot be imported at all (missing, not a folder, unreadable)."""


class PriceListError(RevealError):
    """A price list file is malformed. Carries where (file, line or key) and what is expected;
    `path` is the key path of the value at fault, such as ("product", 0, "variants", 3,
    "price"), for an editor to show the message beside its field (empty when not known)."""

    def __init__(self, message: str, *, file: str = "", where: str = "", path: tuple = ()) -> None:
        self.file = file
        self.where = where
        self.path = path
        self.message = message
        prefix = ": ".join(p for p in (file, where) if p)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class CommandError(RevealError):
    """A command cannot be applied to the current state (unknown image, nothing to undo...)."""


class ImportRefused(CommandError):
    """A folder or upload the tablet asked to import is refused: outside the folders Reveal may
    import from, too large, or not arrived whole (answered 422, nothing imported)."""


class ImageRejected(RevealError):
    """One file cannot be imported; the message is the reason shown in the import summary."""


class CartError(RevealError):
    """A cart does not fit the price list (unknown product, option not offered for this size...)."""


class ReplayError(CommandError):
    """A logged command cannot be replayed (the log and the code disagree); `index` is its
    place among the commands replayed, so the store can name the event."""

    def __init__(self, message: str, *, index: int) -> None:
        self.index = index
        super().__init__(f"Logged command {index + 1} cannot be replayed: {message}")


class PairingError(RevealError):
    """A tablet could not pair: the code it sent is not the one the TV shows now."""


class TooManyWrongCodes(PairingError):
    """One device sent too many wrong pairing codes; `wait` is how many seconds it must wait."""

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(
            f"Too many wrong codes; wait {wait} seconds, then enter the code the TV shows."
        )


class NotPaired(RevealError):
    """A request to the remote came from a device that is not (or no longer) paired."""

    def __init__(self) -> None:
        super().__init__(
            "This device is not paired with the kiosk, or its pairing has expired or was "
            "revoked. Open the kiosk's pairing screen and enter the code it shows."
        )


class CrossSiteRequest(RevealError):
    """A state-changing request did not come from the remote's own page."""

    def __init__(self) -> None:
        super().__init__(
            "This request did not come from the Reveal remote page and was refused. "
            "Reload the remote and try again."
        )


class CheckoutError(RevealError):
    """An order cannot be confirmed, mailed or exported as asked (see the message for why)."""


class ClientDetailsError(CheckoutError):
    """The client's details are incomplete or malformed. `problems` maps each field ("name",
    "email", "phone", "address") to a sentence, so a form can show it next to that field."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


class BadAddress(CheckoutError):
    """An e-mail address that cannot be sent to; refused before anything is queued."""

    def __init__(self, address: str, reason: str) -> None:
        self.address = address
        self.reason = reason
        shown = address if len(address) <= 80 else address[:77] + "..."
        super().__init__(f'"{shown}" is not an e-mail address we can send to: {reason}')


class InvoiceNotFound(CheckoutError):
    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__(
            f"There is no invoice number {number} in this studio. "
            "Check the number on the invoice, or list the invoices with the kiosk's orders view."
        )


class MailSettingsError(CheckoutError):
    """The studio's outgoing-mail (SMTP) settings are missing or unusable."""


class StudioDetailsMissing(CheckoutError):
    """An invoice would go out without the studio's own name and contact details. `missing`
    names the fields to fill in ("name", "email", "address")."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            "The studio's details are not finished (missing: "
            f"{', '.join(missing)}): the photographer enters them on the tablet, under Orders "
            "→ Studio details, before the order can be invoiced."
        )


class WallArtError(RevealError):
    """The wall-art screen cannot use a room, a grouping, a wall photo or a calibration."""


class LayoutError(WallArtError):
    """A room or grouping file in layouts/ is malformed; names the file and what to fix."""

    def __init__(self, message: str, *, file: str = "") -> None:
        self.file = file
        super().__init__(f"{file}: {message}" if file else message)


class CalibrationError(WallArtError):
    """The points or corners a person placed on a wall photo cannot give a true scale."""


class WallPhotoError(WallArtError):
    """A client's wall photo cannot be used (too small, unreadable)."""


class BackupError(RevealError):
    """A backup cannot be taken, or a backup cannot be restored (damaged, from a newer Reveal,
    not a backup at all); nothing was changed."""


class ClientDetailsInvalid(RevealError):
    """A client's details did not pass their rules (kiosk/core/clients.py); `problems` maps
    each field to what is wrong with it, for the form to say beside the field."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("Check the client's details: " + " ".join(self.problems.values()))


class SessionKept(RevealError):
    """A session cannot be deleted (it has invoices, or the TV shows it); says why."""


class PaymentRefused(CommandError):
    """A payment or refund that cannot be recorded: more than is left to pay, more than was
    paid, no reason for a refund (answered 422; nothing recorded)."""


class AlbumTemplateError(RevealError):
    """An album spread template file in layouts/albums/ is malformed; names the file, the
    template and what to change."""


class LineMoveRefused(CommandError):
    """An order line cannot be moved to the state asked: not a product that is shipped, not a
    line of the order, a step back of more than one, already there (answered 422; nothing
    recorded)."""
