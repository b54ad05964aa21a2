"""Pricing: the engine and the advisor, pure, exact, in integer minor units.

`price(pricelist, cart, today=...)` returns a `Breakdown` whose lines sum exactly to its
total; `advise(...)` prices the same cart under every collection (and none), and with each
bundle in place of the lines it covers, and says when another choice costs less. The rules,
in the order they apply:

1. Each cart line is priced: variant price per unit, plus option choices and extra album
   spreads per unit. A line's units are its quantity, times its images for per-image products.
   A bundle in the cart (a product that `covers` others, "All digital files") pays the base
   price of the per-image lines it covers: they show at no charge, included in it.
2. The chosen collection's credits pay for the base price of the units they fit. The
   allocation maximises the base price covered, exactly: units that can be matched to credits
   form a transversal matroid, so taking units from the most to the least valuable and keeping
   each one an augmenting path can still place is optimal. Ties go to taxable units, then to
   cart order. Option upgrades and extra spreads stay charged. A credit of `count = "all"`
   has room for every unit it fits.
3. Discounts, in this order: "buy N get M" (on base prices of units not covered by credits;
   units sorted most to least valuable, in every group of N+M the last M are free), then
   percent discounts (each on what remains eligible, rounded half-up), then amounts off (each
   capped at what remains eligible). Within a kind, in file order. A promo code discount
   applies only with its code, from `starts` to `expires` inclusive. Last, the photographer's
   own studio discount (`Cart.studio_discount`, one at most: a whole percent rounded half-up,
   or an amount capped at what remains), on everything the price-list discounts left, the
   collection included; its breakdown line carries the photographer's reason. Like the
   others it comes before the minimum order, which stays the studio's floor.
4. Minimum order: when the goods after discounts come to less, a top-up line makes up the
   difference (taxed only when all merchandise is taxable; an empty cart costs nothing).
5. Shipping: the cart's method, or the list's default.
6. Tax, rounded half-up once per invoice on the exact taxable amount (discounts are shared
   among the lines they reduce in proportion, as exact fractions). Tax-exclusive lists add a
   tax line; tax-inclusive lists (VAT) report the tax contained in the total.
7. Session-fee credit: the fee already paid, taken off what is due, never below zero.
8. Payment plan: deposit (percent rounded half-up, or fixed) and N instalments that add up
   exactly; odd cents go on the first instalments.

No rule lowers the total when a line is added, but a bundle, which may cost less than the
lines it includes (tests/core/test_pricing_properties.py); this is why thresholds such as
"free shipping over $500" are not part of the format.

The package, one idea per module: `cart` (what is priced, and its JSON form), `lines` (a cart
line resolved against the price list), `allocation` (rule 2), `engine` (`price`, rules 1 to
8), `breakdown` (what `price` returns), `advisor` (`advise`), `money` (`format_money` and the
one rounding rule). What callers use is imported here.
"""

from kiosk.core.pricing.advisor import Advice, Quote, advise
from kiosk.core.pricing.breakdown import (
    Breakdown,
    BreakdownLine,
    CreditUsage,
    PaymentSchedule,
    TaxSummary,
    payment_schedule,
)
from kiosk.core.pricing.cart import (
    STUDIO_DISCOUNT_REF,
    Cart,
    CartLine,
    StudioDiscount,
    cart_from_dict,
)
from kiosk.core.pricing.engine import price
from kiosk.core.pricing.money import format_money

__all__ = [
    "STUDIO_DISCOUNT_REF",
    "Advice",
    "Breakdown",
    "BreakdownLine",
    "Cart",
    "CartLine",
    "CreditUsage",
    "PaymentSchedule",
    "Quote",
    "StudioDiscount",
    "TaxSummary",
    "advise",
    "cart_from_dict",
    "format_money",
    "payment_schedule",
    "price",
]
