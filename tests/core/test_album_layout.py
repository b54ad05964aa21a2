"""Album layout and design edits: properties over random photo sets, and the templates' rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.album import (
    Spread,
    add_spread,
    images_of,
    lay_out,
    parse_templates,
    remove_spread,
    swap,
    with_template,
)
from kiosk.core.errors import AlbumTemplateError, CommandError

ROOT = Path(__file__).resolve().parents[2]
SHAPES = {
    name: parse_templates((ROOT / "layouts/albums" / f"{name}.toml").read_text(), file=name)
    for name in ("square", "landscape")
}
ASPECTS = st.sampled_from([0.5, 0.667, 0.8, 1.0, 1.25, 1.5, 1.78, 3.0])


@st.composite
def albums(draw):
    count = draw(st.integers(0, 80))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    aspects = {i: draw(ASPECTS) for i in ids}
    fewest = draw(st.integers(1, 15))
    most = draw(st.sampled_from([0, fewest, fewest + 5, 40]))
    shape = SHAPES[draw(st.sampled_from(sorted(SHAPES)))]
    return ids, aspects, fewest, most, shape


@settings(max_examples=300, deadline=None)
@given(albums())
def test_every_photo_is_placed_once_within_the_spread_limits(album):
    ids, aspects, fewest, most, shape = album
    design = lay_out(ids, aspects, shape, fewest=fewest, most=most)
    placed = images_of(design)
    assert len(placed) == len(set(placed)), "a photo placed twice"
    assert set(placed) <= set(ids)
    capacity = 1 + ((most or len(ids)) - 1) * shape.most_cells if ids else 0
    assert len(placed) == min(len(ids), capacity), "a photo left out while there was room"
    if ids:
        assert design[0] == (design[0].template, (ids[0],)), "the favourite opens the album"
        assert min(fewest, len(ids)) <= len(design)
        assert not most or len(design) <= most
    for spread in design:
        template = shape.template(spread.template)
        assert len(template.cells) == len(spread.images)
        for cell in template.cells:
            assert not cell.over_fold or template.panorama, f"{template.id} crosses the gutter"
        if template.panorama:
            assert len(spread.images) == 1


@settings(max_examples=150, deadline=None)
@given(albums(), st.data())
def test_edits_keep_each_photo_once(album, data):
    ids, aspects, fewest, most, shape = album
    design = lay_out(ids, aspects, shape, fewest=1, most=0)
    if not design:
        return
    spare = [i + 20_000 for i in range(3)]
    aspects.update({i: 1.5 for i in spare})
    for _ in range(6):
        step = data.draw(st.sampled_from(["swap", "template", "add", "remove"]))
        n = data.draw(st.integers(0, len(design) - 1))
        free = [i for i in spare if i not in images_of(design)]
        try:
            if step == "swap":
                m = data.draw(st.integers(0, len(design) - 1))
                a = (n, data.draw(st.integers(0, len(design[n].images) - 1)))
                b = (m, data.draw(st.integers(0, len(design[m].images) - 1)))
                before = images_of(design)
                design = swap(design, a, b)
                assert sorted(images_of(design)) == sorted(before)
            elif step == "template":
                template = data.draw(st.sampled_from(shape.templates))
                design = with_template(design, n, template.id, shape, free)
                assert design[n].template == template.id
            elif step == "add":
                count = len(design)
                design = add_spread(design, n, spare=free, aspects=aspects, shape=shape)
                assert len(design) == count + 1
            else:
                design = remove_spread(design, n)
        except CommandError:
            pass
        placed = images_of(design)
        assert len(placed) == len(set(placed))
        for spread in design:
            assert len(shape.template(spread.template).cells) == len(spread.images)


def test_layout_suits_orientation_landscapes_in_landscape_cells():
    shape = SHAPES["square"]
    aspects = {1: 1.0, 2: 1.5, 3: 1.5, 4: 1.5, 5: 0.667, 6: 0.667, 7: 0.667}
    design = lay_out([1, 2, 3, 4, 5, 6, 7], aspects, shape, fewest=3, most=10)
    assert design == (
        Spread("single", (1,)),
        Spread("three-up", (2, 3, 4)),
        Spread("three-portraits", (5, 6, 7)),
    )


def test_too_few_free_photos_for_a_bigger_template_is_said_in_words():
    shape = SHAPES["square"]
    design = (Spread("single", (1,)), Spread("two-up", (2, 3)))
    with pytest.raises(CommandError, match="Four-up needs 4 photos; only 3 are free"):
        with_template(design, 1, "four-up", shape, spare=(9,))
    assert with_template(design, 1, "single", shape, spare=())[1] == Spread("single", (2,))


def test_adding_a_spread_without_spare_photos_takes_one_from_the_fullest():
    shape = SHAPES["square"]
    design = (Spread("single", (1,)), Spread("four-up", (2, 3, 4, 5)))
    after = add_spread(design, 1, spare=(), aspects={}, shape=shape)
    assert [len(s.images) for s in after] == [1, 3, 1]
    assert sorted(images_of(after)) == [1, 2, 3, 4, 5]
    with pytest.raises(CommandError, match="Every photo has a spread of its own"):
        add_spread((Spread("single", (1,)),), 0, spare=(), aspects={}, shape=shape)


GOOD = """shape = "square"
page_aspect = 1.0
margin = 0.08
gutter = 0.08
[[template]]
id = "single"
name = "Full-bleed single"
[[template.cell]]
box = [0.5, 0, 0.5, 1]
bleed = true
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("box = [0.5, 0, 0.5, 1]", "box = [0.3, 0, 0.5, 1]"),
            "template 'single', cell 1 crosses the gutter .* say crosses_gutter = true",
        ),
        (("bleed = true", "bleed = false"), "closer to the spread's edge than the margin"),
        (("box = [0.5, 0, 0.5, 1]", "box = [0.5, 0, 0.7, 1]"), "is not inside the spread"),
        (("box = [0.5, 0, 0.5, 1]", 'box = "big"'), r"box must be \[x, y, width, height\]"),
        (("bleed = true", 'prefer = "tall"'), "prefer is 'tall'; choose one of any"),
        (('shape = "square"', ""), 'needs shape = "square"'),
        (("gutter = 0.08", "gutter = 2"), "gutter must be a number from 0.0 to 0.25"),
        (("[[template]]", "[[templat]]"), r"has no \[\[template\]\] tables"),
    ],
)
def test_template_mistakes_are_named_with_what_to_change(change, message):
    with pytest.raises(AlbumTemplateError, match=message):
        parse_templates(GOOD.replace(*change), file="square.toml")


def test_overlapping_cells_and_cells_in_the_gutter_are_refused():
    two = GOOD + '[[template]]\nid = "two"\nname = "Two"\n'
    overlap = two + "[[template.cell]]\nbox = [0.1, 0.1, 0.3, 0.5]\n" * 2
    with pytest.raises(AlbumTemplateError, match="cells 1 and 2 overlap"):
        parse_templates(overlap, file="square.toml")
    near_fold = two + "[[template.cell]]\nbox = [0.1, 0.1, 0.39, 0.5]\n"
    with pytest.raises(AlbumTemplateError, match="within half the gutter of the fold"):
        parse_templates(near_fold, file="square.toml")


def test_the_shipped_templates_hold_the_five_kinds_the_studio_needs():
    for shape in SHAPES.values():
        ids = {t.id for t in shape.templates}
        assert {"single", "large-two", "three-up", "four-up", "panorama"} <= ids
        assert [t.id for t in shape.templates if t.panorama] == ["panorama"]
