"""Every error a person reads comes from here: what happened, and what to do about it."""

from __future__ import annotations


class RevealError(Exception):
    """Base of Reveal's errors; `str()` is a sentence a photographer can act on."""


class StudioError(RevealError):
    """The studio folder or its database cannot be used."""


class ImportFolderError(RevealError):
    """A session folder cannot be imported at all (missing, not a folder, unreadable)."""


class PriceListError(RevealError):
    """A price list file is malformed. Carries where (file, line or key) and what is expected."""

    def __init__(self, message: str, *, file: str = "", where: str = "") -> None:
        self.file = file
        self.where = where
        prefix = ": ".join(p for p in (file, where) if p)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class CommandError(RevealError):
    """A command cannot be applied to the current state (unknown image, nothing to undo...)."""


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
