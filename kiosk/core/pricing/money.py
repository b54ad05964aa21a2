"""Money on screen and the engine's one rounding rule; amounts are ints of minor units."""

from __future__ import annotations

from kiosk.core.pricelist import Currency


def format_money(amount: int, currency: Currency) -> str:
    """Minor units as the studio writes them: "$2,400.00", "1.234,50 €", "-$12.00"."""
    sign = "-" if amount < 0 else ""
    whole, minor = divmod(abs(amount), 10**currency.decimals)
    digits = f"{whole:,}".replace(",", currency.thousands)
    if currency.decimals:
        digits += currency.decimal_mark + str(minor).rjust(currency.decimals, "0")
    gap = " " if currency.space else ""
    if currency.position == "before":
        return f"{sign}{currency.symbol}{gap}{digits}"
    return f"{sign}{digits}{gap}{currency.symbol}"


def round_half_up(num: int, den: int) -> int:
    """num / den rounded half-up (den > 0): the one rounding rule of the engine."""
    return (2 * num + den) // (2 * den)
