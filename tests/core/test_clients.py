"""The client's details: each rule, its message naming the field, and the change log's diff."""

from __future__ import annotations

import pytest

from kiosk.core.clients import Change, ClientDetails, changes, client_details, viewing_text
from kiosk.core.errors import ClientDetailsInvalid


def problems(**data) -> dict[str, str]:
    with pytest.raises(ClientDetailsInvalid) as caught:
        client_details(data)
    return caught.value.problems


def test_details_are_trimmed_and_put_in_one_spelling():
    details = client_details(
        {
            "client": "  Ada   Park ",
            "email": " ada@example.com ",
            "phone": "+44  20 7946 0958",
            "partner": "Sam Park",
            "notes": "Loves black and white.\r\nGrandma visits.",
            "shoot_date": "2026-05-01",
            "viewing_at": "2026-05-08 14:30:00",
        }
    )
    assert details == ClientDetails(
        client="Ada Park",
        email="ada@example.com",
        phone="+44 20 7946 0958",
        partner="Sam Park",
        notes="Loves black and white.\nGrandma visits.",
        shoot_date="2026-05-01",
        viewing_at="2026-05-08T14:30",
    )
    assert viewing_text(details.viewing_at) == "Fri 8 May 2026, 14:30"


def test_only_the_name_is_needed():
    assert client_details({"client": "Ada"}) == ClientDetails("Ada")
    assert problems(client="  ") == {"client": "Enter the client's name."}


@pytest.mark.parametrize(
    "email", ["ada", "ada@example", "ada@@example.com", "Ada <ada@example.com>", "a b@example.com"]
)
def test_an_email_not_shaped_like_one_is_refused_with_an_example(email):
    found = problems(client="Ada", email=email)
    assert list(found) == ["email"]
    assert "is not an e-mail address" in found["email"] and "ada@example.com" in found["email"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("shoot_date", "01/05/2026", "is not a date"),
        ("shoot_date", "2026-02-30", "is not a day of the calendar"),
        ("shoot_date", "1926-05-01", "not a likely year"),
        ("viewing_at", "2026-05-08", "time as well as its date"),
        ("viewing_at", "T14:00", "date as well as its time"),
        ("viewing_at", "2026-05-08T25:00", "not a time of day"),
        ("viewing_at", "2026-05-08T2pm", "is not a time"),
        ("phone", "call me", "5 to 20 digits"),
        ("phone", "12", "5 to 20 digits"),
        ("client", "Ada\u202eKrap", "invisible character"),
        ("partner", "Sam\nPark", "line break"),
        ("notes", "x" * 2001, "at most 2000"),
        ("notes", "half a \ud83d character", "not text"),
    ],
)
def test_each_problem_is_named_by_its_field(field, value, words):
    data = {"client": "Ada", field: value} if field != "client" else {"client": value}
    found = problems(**data)
    assert list(found) == [field] and words in found[field]


def test_a_viewing_before_the_shoot_is_refused_on_the_viewing():
    found = problems(client="Ada", shoot_date="2026-05-10", viewing_at="2026-05-08T14:00")
    assert found == {
        "viewing_at": "The viewing (Fri 8 May 2026) is before the shoot (Sun 10 May 2026): "
        "check both dates."
    }
    # The same day is fine: a viewing straight after the shoot.
    assert client_details(
        {"client": "Ada", "shoot_date": "2026-05-10", "viewing_at": "2026-05-10T17:00"}
    )


def test_every_problem_is_said_at_once_and_unknown_fields_are_refused():
    found = problems(client="", email="x", phone=42, colour="red")
    assert set(found) == {"client", "email", "phone", "form"}
    assert found["phone"] == "Phone must be text." and "colour" in found["form"]
    with pytest.raises(ClientDetailsInvalid, match="Check the client's details: .*name"):
        client_details({"client": ""})


def test_changes_are_the_fields_that_differ_in_the_forms_order():
    before = ClientDetails("Ada Park", email="ada@exmple.com", phone="0123 456")
    after = ClientDetails("Ada Park", email="ada@example.com", notes="Prefers mornings")
    assert changes(before, after) == [
        Change("email", "ada@exmple.com", "ada@example.com"),
        Change("phone", "0123 456", ""),
        Change("notes", "", "Prefers mornings"),
    ]
    assert changes(after, after) == []
