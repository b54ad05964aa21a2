"""The gallery's rules in plain Python: when it opens, and which bytes a Range asks for."""

from __future__ import annotations

import pytest

from kiosk.core.gallery import RangeNotSatisfiable, byte_range, gallery_state


def test_the_gallery_opens_only_paid_in_full_and_wholly_retouched():
    assert not gallery_state(paid_in_full=False, wanted=(1, 2), retouched={1, 2}).open
    half = gallery_state(paid_in_full=True, wanted=(1, 2), retouched={1, 9})
    assert not half.open and half.text == "1 of 2 retouched"
    assert gallery_state(paid_in_full=True, wanted=(1, 2), retouched={1, 2}).open
    assert not gallery_state(paid_in_full=True, wanted=(), retouched=set()).open


@pytest.mark.parametrize(
    ("header", "part"),
    [
        (None, None),
        ("bytes=0-99", (0, 100)),
        ("bytes=100-", (100, 1000)),
        ("bytes=-10", (990, 1000)),
        ("bytes=900-5000", (900, 1000)),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-9", None),
        ("bytes=-", None),
    ],
)
def test_a_range_header_is_read_as_one_half_open_span(header, part):
    assert byte_range(header, 1000) == part


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-4", "bytes=2000-3000"])
def test_a_range_past_the_end_is_not_satisfiable(header):
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, 1000)
