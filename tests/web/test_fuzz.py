"""A fuzz pass over the web API with schemathesis, against the real server on 127.0.0.1.

The app publishes no OpenAPI document (`openapi_url=None`: nobody on the studio's network needs
one), but FastAPI still builds it. Most routes read their bodies themselves (a command, the
pairing form, the wall photo), so FastAPI's document knows nothing of those bodies nor of the
errors the routes answer with: the test adds both, and that is the contract checked here.
Every response must be no 5xx, have a documented status and content type, and, where it is JSON,
match its schema; for the API's errors that is `{"error": "<a sentence a person reads>"}`.

Twice: as a paired tablet (cookie, Origin and CSRF header, so the fuzz reaches the commands)
and as a stranger. Bounded by max_examples to well under a minute.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kiosk.checkout.settings import save_studio_details
from kiosk.core.cart import CART_COMMANDS
from kiosk.core.pricelist import load
from kiosk.core.selection import COMMANDS
from kiosk.live import LiveSession
from kiosk.store.walls import issue_wall_token
from kiosk.web.app import create_app
from kiosk.web.commands import REMOTE_ONLY
from tests.checkout.conftest import STUDIO
from tests.conftest import ROOT
from tests.web.test_orders import confirm

COOKIE = "reveal_session"
# FastAPI names the two methods of phone.py's catch-all route alike; harmless here.
pytestmark = pytest.mark.filterwarnings("ignore:Duplicate Operation ID")
EXAMPLES = 150  # per pass; both passes take about 20-40 s on the shared machine
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

HTML = {"text/html": {"schema": {"type": "string"}}}
ERROR = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "string", "minLength": 10}},
        }
    }
}
STATE = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["type", "rev", "screen", "current", "counts", "images"],
            "properties": {
                "type": {"const": "state"},
                "images": {"type": "array"},
                "counts": {"type": "object", "required": ["kept", "total"]},
            },
        }
    }
}
COMMAND_OK = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["ok", "state"],
            "properties": {"ok": {"const": True}, "state": STATE["application/json"]["schema"]},
        }
    }
}
FILE = {"*/*": {"schema": {}}}


def page(*statuses: int) -> dict[str, Any]:
    return {str(s): {"description": "page", "content": HTML} for s in statuses}


def api_errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"description": "error", "content": ERROR} for s in statuses}


def settings_action(*more: int) -> dict[str, Any]:
    return {"200": {"description": "done"}, **api_errors(401, 403, 413, 422, *more)}


REDIRECT = {"303": {"description": "to the remote"}}
ORDER_OK = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["ok", "order"],
            "properties": {
                "ok": {"const": True},
                "order": {
                    "type": "object",
                    "required": ["number", "status", "phoneLink", "wallLinks"],
                },
            },
        }
    }
}
STUDIO_OK = {
    "application/json": {
        "schema": {"type": "object", "required": ["details", "missing", "mailServer"]},
    }
}
ORDERS = {
    "application/json": {
        "schema": {"type": "object", "required": ["orders", "statuses", "exports"]},
    }
}

SESSION_OK = {
    "application/json": {
        "schema": {"type": "object", "required": ["session", "changes"]},
    }
}


def session_action(*errors: int, done: dict[str, Any] = SESSION_OK) -> dict[str, Any]:
    """A session's POST (issue 13): done, or one of the errors every POST may give, or these."""
    return {
        "200": {"description": "done", "content": done},
        **api_errors(401, 403, 404, 413, 422, *errors),
    }


PAYMENTS_OK = {
    "application/json": {
        "schema": {"type": "object", "required": ["balance", "schedule", "ledger", "methods"]}
    }
}
PAYMENT_BODY = {
    "type": "object",
    "properties": {
        "amount": {"anyOf": [{"enum": ["1", "0.01", "1,000.00", "-1", "1e3", "²"]}, {}]},
        "method": {"enum": ["card", "cash", "transfer", "other", "cheque"]},
        "refund": {"type": "boolean"},
        "note": {"type": "string"},
        "reason": {"type": "string"},
    },
}


def order_action(*errors: int) -> dict[str, Any]:
    """An order's POST: done, or one of the errors every POST may give, or these."""
    return {
        "200": {"description": "done", "content": ORDER_OK},
        **api_errors(401, 403, 404, 413, 422, *errors),
    }


# (method, path) -> the responses the route may give; the routes of issue 7 and the phone pages.
RESPONSES: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/health"): {"200": {"description": "ok", "content": {"application/json": {}}}},
    ("get", "/"): REDIRECT,
    ("get", "/pair"): {**page(200), **REDIRECT},
    ("post", "/pair"): {**page(400, 429), **REDIRECT, **api_errors(403, 413)},
    ("post", "/unpair"): {"200": {"description": "ok"}, **api_errors(401, 403, 413)},
    ("get", "/remote"): page(200, 401),
    ("get", "/api/state"): {"200": {"description": "state", "content": STATE}, **api_errors(401)},
    ("post", "/api/command"): {
        "200": {"description": "done", "content": COMMAND_OK},
        **api_errors(401, 403, 413, 422),
    },
    ("get", "/img/thumb/{image_id}"): {"200": {"description": "jpeg"}, **api_errors(401, 404)},
    ("get", "/img/preview/{image_id}"): {"200": {"description": "jpeg"}, **api_errors(401, 404)},
    ("get", "/mirror/{token}"): page(200, 401),
    ("get", "/mirror/{token}/img/{image_id}"): {
        **page(401),
        "200": {"description": "jpeg", "content": FILE},
        **api_errors(404),
    },
    ("get", "/i/{token}"): page(200, 404),
    ("get", "/i/{token}/invoice.pdf"): page(404),
    ("get", "/i/{token}/img/{image_id}"): page(404),
    ("get", "/i/{rest}"): page(404),
    ("get", "/wall/{token}"): page(200, 404),
    ("post", "/wall/{token}"): page(200, 400, 403, 404, 409, 413, 422, 429),
    ("get", "/wall/{rest}"): page(404),
    ("post", "/wall/{rest}"): page(404),
    # The orders (issue 21: strict order numbers, withdrawing links, bodies capped).
    ("get", "/remote/orders"): page(200, 401),
    ("get", "/api/orders"): {
        "200": {"description": "orders", "content": ORDERS},
        **api_errors(401),
    },
    ("post", "/api/orders/{number}/status"): order_action(),
    ("post", "/api/orders/{number}/export"): order_action(400),
    ("post", "/api/orders/{number}/send-again"): order_action(),
    ("post", "/api/orders/{number}/withdraw-phone-link"): order_action(),
    ("post", "/api/orders/{number}/withdraw-wall-links"): order_action(),
    ("post", "/api/orders/{number}/lines"): order_action(),
    # The studio's details (issue 20): saved, or a sentence saying what is missing or wrong.
    ("get", "/api/studio"): {
        "200": {"description": "details", "content": STUDIO_OK},
        **api_errors(401),
    },
    ("post", "/api/studio"): {
        "200": {"description": "saved", "content": STUDIO_OK},
        **api_errors(401, 403, 413, 422),
    },
    # The Settings page (issue 14): behind the PIN (403 until typed), strict fields (422).
    ("get", "/remote/settings"): page(200, 401),
    ("get", "/api/settings"): {"200": {"description": "settings or locked"}, **api_errors(401)},
    ("post", "/api/settings"): settings_action(),
    ("post", "/api/settings/unlock"): settings_action(429),
    ("post", "/api/settings/mail"): settings_action(),
    ("post", "/api/settings/mail/test"): settings_action(),
    ("get", "/api/settings/logo"): {
        "200": {"description": "the logo", "content": {"image/png": {}}},
        **api_errors(401, 403, 404),
    },
    ("post", "/api/settings/logo"): settings_action(),
    ("post", "/api/settings/logo/remove"): settings_action(),
    # The price-list editor (issue 14): behind the same PIN; a draft read before a save is 409.
    ("get", "/remote/pricelist"): page(200, 401),
    ("get", "/api/pricelist"): {"200": {"description": "the draft"}, **api_errors(401, 403)},
    ("post", "/api/pricelist/check"): settings_action(),
    ("post", "/api/pricelist"): settings_action(409),
    ("post", "/api/pricelist/restore"): settings_action(),
    # The sessions (issue 13): strict session numbers, a client's details checked field by field.
    ("get", "/remote/sessions"): page(200, 401),
    ("get", "/remote/sessions/new"): page(200, 401),
    ("get", "/remote/sessions/{session_id}"): {**page(200, 401, 404), **api_errors(422)},
    ("get", "/api/sessions"): {"200": {"description": "list"}, **api_errors(401, 422)},
    ("post", "/api/sessions"): {"201": {"description": "made"}, **api_errors(401, 403, 413, 422)},
    ("get", "/api/sessions/{session_id}"): {
        "200": {"description": "session", "content": SESSION_OK},
        **api_errors(401, 404, 422),
    },
    ("post", "/api/sessions/{session_id}/details"): session_action(),
    ("post", "/api/sessions/{session_id}/archive"): session_action(),
    ("post", "/api/sessions/{session_id}/delete"): session_action(409, done={}),
    # An order's payments (issue 15): recorded, or refused (overpaying, no reason) as 422.
    ("get", "/api/payments/{number}"): {
        "200": {"description": "payments", "content": PAYMENTS_OK},
        **api_errors(401, 404, 422),
    },
    ("post", "/api/payments/{number}"): {
        "200": {"description": "recorded", "content": PAYMENTS_OK},
        **api_errors(401, 403, 404, 413, 422),
    },
}
ORDER_ACTIONS = ("status", "export", "send-again", "withdraw-phone-link", "withdraw-wall-links")
# Order numbers: the fixture's own order as typed in many ways, and what once answered 500 (a
# plain {"type": "string"} beside them would swallow them: any string matches it).
ODD_NUMBERS = ["²", "١", "٣٤", "1.0", "-1", "+1", " 1", "1 ", "0x1", "99999999999999", "", "%"]
NUMBER = {"anyOf": [{"enum": ODD_NUMBERS}, {"type": "string", "pattern": "^#?0{0,3}[0-9]$"}]}
SESSION_NUMBERS = {"anyOf": [{"enum": ODD_NUMBERS}, {"type": "string", "pattern": "^[1-6]$"}]}
TEXT = {
    "anyOf": [{"type": "string"}, {"enum": ["ada@example.com", "2026-05-01", "2026-05-08T14:00"]}]
}
DETAILS = {
    "type": "object",
    "required": ["client"],
    "properties": {
        "client": {"type": "string", "minLength": 1, "maxLength": 130},
        **{
            name: TEXT
            for name in ("email", "phone", "partner", "notes", "shoot_date", "viewing_at")
        },
    },
}
STATUS_BODY = {
    "type": "object",
    "properties": {"status": {"enum": ["confirmed", "emailed", "paid", "delivered", "lost"]}},
}
# An order's products moved: its real refs and odd ones, real states and others.
LINES_BODY = {
    "type": "object",
    "properties": {
        "lines": {
            "anyOf": [
                {"type": "array", "items": {"enum": ["1", "2", "3", "4", "wall", "", "٣", 7]}},
                {"type": "string"},
            ]
        },
        "state": {"enum": ["ordered", "lab", "shipped", "delivered", "lost", 3, None]},
        "note": {"anyOf": [{"type": "string"}, {"enum": ["https://ups.example/t/1Z", 5]}]},
    },
}

KINDS = sorted({*COMMANDS, *CART_COMMANDS, *REMOTE_ONLY})
IMAGE: dict[str, Any] = {}  # the session's own ids, and three others, put in by contract()


def shape(kind: str, **fields: Any) -> dict[str, Any]:
    """A command as the remote sends it: exactly these fields."""
    return {
        "type": "object",
        "required": ["kind", *fields],
        "properties": {"kind": {"const": kind}, **fields},
        "additionalProperties": False,
    }


# The commands the remote page sends, well formed, and a loose shape that sends every kind with
# any of the fields (mostly invalid: each must be a 422 with a sentence, never a 500).
COMMAND = {
    "anyOf": [
        shape("decide", image=IMAGE, decision={"enum": ["keep", "drop", "maybe"]}),
        shape("favourite", image=IMAGE, on={"type": "boolean"}),
        shape("show", image=IMAGE),
        shape("undo"),
        shape("note", image=IMAGE, text={"type": "string"}, tags={"type": "array"}),
        shape("rank", image=IMAGE, position={"type": "integer"}),
        shape("narrow_start", target={"type": "integer"}),
        shape("compare_pick", keep=IMAGE, drop={"type": "array", "items": IMAGE}),
        shape("screen", name={"type": "string"}),
        shape("play", on={"type": "boolean"}),
        shape("private_note", image=IMAGE, text={"type": "string"}),
        {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"enum": KINDS},
                "image": IMAGE,
                "decision": {"enum": ["keep", "drop", "maybe", "love"]},
                "name": {"type": "string"},
                "text": {"type": "string"},
                "product": {"type": "string"},
                "quantity": {"type": "integer"},
                "code": {"type": "string"},
                "amount": {"type": "integer"},
            },
            "additionalProperties": False,
        },
    ]
}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/command"): {"application/json": {"schema": COMMAND}},
    ("post", "/api/studio"): {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    key: {"type": "string"}
                    for key in ("name", "email", "phone", "address", "website", "terms", "logo")
                },
            }
        }
    },
    ("post", "/api/settings"): {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "slideshow_seconds": {"type": "number"},
                    "screen_diagonal_in": {"type": "number"},
                    "web_port": {"type": "integer"},
                    "start_screen": {"type": "string"},
                    "import_roots": {"type": "array", "items": {"type": "string"}},
                    "backup_folder": {"type": "string"},
                },
            }
        }
    },
    ("post", "/api/settings/unlock"): {
        "application/json": {
            "schema": {"type": "object", "properties": {"pin": {"type": "string"}}}
        }
    },
    # The mail server only ever on this machine's closed port 1: a test e-mail is refused at once.
    ("post", "/api/settings/mail"): {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "host": {"enum": ["127.0.0.1", ""]},
                    "port": {"enum": [1, 0, 70000]},
                    "security": {"type": "string"},
                    "username": {"type": "string"},
                    "password": {"type": "string"},
                },
                "additionalProperties": False,
            }
        }
    },
    ("post", "/api/settings/mail/test"): {
        "application/json": {"schema": {"type": "object", "properties": {"to": {"type": "string"}}}}
    },
    ("post", "/api/settings/logo"): {
        "image/png": {"schema": {"type": "string", "format": "binary"}}
    },
    **{
        ("post", path): {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "draft": {"type": "object"},
                        "cart": {"type": "object"},
                        "base": {"type": "string"},
                        "version": {"enum": ["pricelist-20261204-181133-000001.toml", "../x"]},
                    },
                }
            }
        }
        for path in ("/api/pricelist", "/api/pricelist/check", "/api/pricelist/restore")
    },
    ("post", "/pair"): {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {"code": {"type": "string"}}}
        }
    },
    **{
        ("post", f"/api/orders/{{number}}/{action}"): {"application/json": {"schema": STATUS_BODY}}
        for action in (
            "status",
            "export",
            "send-again",
            "withdraw-phone-link",
            "withdraw-wall-links",
        )
    },
    ("post", "/api/payments/{number}"): {"application/json": {"schema": PAYMENT_BODY}},
    ("post", "/api/orders/{number}/lines"): {"application/json": {"schema": LINES_BODY}},
    ("post", "/api/sessions"): {"application/json": {"schema": DETAILS}},
    ("post", "/api/sessions/{session_id}/details"): {"application/json": {"schema": DETAILS}},
    **{
        ("post", f"/api/sessions/{{session_id}}/{action}"): {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": [key],
                    "properties": {key: {"enum": [True, False, 1, None]}},
                }
            }
        }
        for action, key in (("archive", "archived"), ("delete", "confirm"))
    },
    ("post", "/wall/{token}"): {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"photo": {"type": "string", "format": "binary"}},
            }
        }
    },
}

# Photos into a session (issue 13): folders only inside the import roots, uploads in chunks.
IMPORT_PROGRESS = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["session", "running", "done", "total", "skipped"],
        }
    }
}
UPLOAD_OK = {
    "application/json": {
        "schema": {"type": "object", "required": ["upload", "have", "received", "whole"]}
    }
}
IMPORT_CHANGE = api_errors(401, 403, 404, 413, 422)
RESPONSES.update(
    {
        ("get", "/remote/sessions/{session_id}/import"): {**page(200, 401, 404), **api_errors(422)},
        ("get", "/api/imports/roots"): {"200": {"description": "roots"}, **api_errors(401)},
        ("get", "/api/imports/browse"): {"200": {"description": "folder"}, **api_errors(401, 422)},
        ("post", "/api/sessions/{session_id}/import/folder"): {
            "202": {"description": "importing", "content": {"application/json": {}}},
            **IMPORT_CHANGE,
        },
        ("get", "/api/sessions/{session_id}/import"): {
            "200": {"description": "progress", "content": IMPORT_PROGRESS},
            **api_errors(401, 404, 422),
        },
        ("post", "/api/sessions/{session_id}/uploads"): {
            "200": {"description": "what arrived", "content": UPLOAD_OK},
            **IMPORT_CHANGE,
        },
        ("put", "/api/uploads/{session_id}/{upload_id}"): {
            "200": {"description": "what arrived", "content": UPLOAD_OK},
            **IMPORT_CHANGE,
        },
        # An order's finals sent from the tablet, the same way.
        ("post", "/api/finals/{number}/uploads"): {
            "200": {"description": "what arrived", "content": UPLOAD_OK},
            **IMPORT_CHANGE,
        },
        ("put", "/api/finals-uploads/{number}/{upload_id}"): {
            "200": {"description": "what arrived", "content": UPLOAD_OK},
            **IMPORT_CHANGE,
        },
    }
)
BODIES.update(
    {
        ("post", "/api/sessions/{session_id}/import/folder"): {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "root": {"anyOf": [{"enum": ["/", "/tmp", "/media", ""]}, TEXT]},
                        "path": {"anyOf": [{"enum": ["..", "../..", "/etc", "a/../.."]}, TEXT]},
                    },
                }
            }
        },
        ("post", "/api/sessions/{session_id}/uploads"): {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": {"anyOf": [{"enum": ["IMG_1.JPG", "../x.jpg", "a/.b"]}, TEXT]},
                        "size": {"type": "integer"},
                        "sha256": {
                            "anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"}, TEXT]
                        },
                    },
                }
            }
        },
        ("put", "/api/uploads/{session_id}/{upload_id}"): {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
        },
    }
)
BODIES[("post", "/api/finals/{number}/uploads")] = BODIES[
    ("post", "/api/sessions/{session_id}/uploads")
]
BODIES[("put", "/api/finals-uploads/{number}/{upload_id}")] = BODIES[
    ("put", "/api/uploads/{session_id}/{upload_id}")
]


def contract(live: LiveSession, studio) -> dict[str, Any]:
    """FastAPI's own document for the app, with the bodies and answers of RESPONSES. Image
    ids are mostly the session's own, so that many commands are carried out, not refused."""
    document = copy.deepcopy(create_app(live, studio).openapi())
    IMAGE.clear()
    IMAGE["enum"] = [image.id for image in live.images] + [0, -1, 10**12]
    bodies = {**BODIES, ("post", "/api/command"): {"application/json": {"schema": COMMAND}}}
    paths = {}
    for path, operations in document["paths"].items():
        kept = {}
        for method, operation in operations.items():
            if (method, path) not in RESPONSES:
                continue  # routes with their own fuzz-free tests (a session switch would
                # move the TV under the passes above)
            operation["responses"] = RESPONSES[(method, path)]
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "number":
                    parameter["schema"] = NUMBER
                if parameter["name"] == "session_id":
                    parameter["schema"] = SESSION_NUMBERS
            if (method, path) in bodies:
                operation["requestBody"] = {"content": bodies[(method, path)], "required": True}
            kept[method] = operation
        if kept:
            paths[path] = kept
    document["paths"] = paths
    return document


@pytest.fixture
def schema(server, studio):
    # An order on the session, with its phone and wall links, for the orders' routes to act on.
    save_studio_details(studio.store, STUDIO)
    confirm(studio, server.live.session_id, load(ROOT / "assets" / "pricelist.toml"))
    server.call(issue_wall_token, studio.store, server.live.session_id)
    # Its own LiveSession on this thread: the document is all that is wanted of this app.
    live = LiveSession(studio.store, server.live.session_id)
    return schemathesis.openapi.from_dict(contract(live, studio))


def fuzz(server, operations, headers: dict[str, str]) -> list[int]:
    statuses: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operations.as_strategy())
    def one(case) -> None:
        response = case.call(base_url=server.url, headers=headers, allow_redirects=False)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    one()
    return statuses


def test_a_paired_tablet_fuzzing_the_api_gets_no_500_and_only_documented_answers(server, schema):
    tablet = server.paired_client()
    headers = {
        "Cookie": f"{COOKIE}={tablet.cookies[COOKIE]}",
        "Origin": server.url,
        "X-CSRF-Token": tablet.headers["X-CSRF-Token"],
    }
    # Unpairing would end the pass; its own tests are in test_server.py.
    statuses = fuzz(server, schema.exclude(method="POST", path="/unpair"), headers)
    commands = fuzz(server, schema.include(method="POST", path="/api/command"), headers)
    orders = fuzz(server, schema.include(path_regex="^/api/orders/"), headers)
    sessions = fuzz(server, schema.include(path_regex="^/api/sessions"), headers)
    assert max(statuses + commands + orders + sessions) < 500
    # The sessions were reached: some made, edited or deleted, odd numbers and details 422.
    assert sessions.count(200) > 0 and sessions.count(201) > 0
    assert sessions.count(404) > 0 and sessions.count(422) > 5
    # The orders were reached too: some actions done, odd numbers refused as such.
    assert orders.count(200) > 0 and orders.count(404) > 0 and orders.count(422) > 5
    # The fuzz did reach the controls: commands were carried out and others refused.
    assert commands.count(200) > 10 and commands.count(422) > 10
    assert len(server.events()) > 0


def test_a_stranger_fuzzing_the_api_gets_no_500_and_controls_nothing(server, schema):
    before = server.events()
    sessions = server.call(server.studio.store.sessions)
    statuses = fuzz(server, schema, {})
    assert max(statuses) < 500 and 401 in statuses
    assert server.events() == before
    assert server.call(server.studio.store.sessions) == sessions


def test_a_pairing_form_that_is_not_the_form_is_answered_as_a_wrong_code(server):
    # Found by the fuzz: Starlette refused it with its own bare JSON, not the pairing page.
    stranger = server.client(Origin=server.url)
    fields = {f"field{n}": "x" for n in range(6)}
    response = stranger.post("/pair", data={"code": server.code(), **fields})
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "That is not the code the TV shows" in response.text
    assert COOKIE not in stranger.cookies


def test_a_paired_tablet_fuzzing_the_import_routes_gets_no_500(server, schema):
    tablet = server.paired_client()
    headers = {
        "Cookie": f"{COOKIE}={tablet.cookies[COOKIE]}",
        "Origin": server.url,
        "X-CSRF-Token": tablet.headers["X-CSRF-Token"],
    }
    imports = fuzz(server, schema.include(path_regex="/import|uploads"), headers)
    assert max(imports) < 500
    # Reached: progress and uploads answered, odd numbers, names and paths refused as such.
    assert imports.count(200) > 0 and imports.count(422) > 10
