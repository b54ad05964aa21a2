"""`main.py lines` on a real studio."""

from __future__ import annotations

import main
from kiosk.checkout import outbox
from kiosk.store.fulfilment import line_events
from kiosk.studio import open_studio


def test_products_are_listed_moved_and_corrected_from_the_terminal(studio, invoice, capsys):
    data = str(studio.paths.root)
    studio.close()  # the command opens the studio itself, as from a terminal

    assert main.main(["--data", data, "lines", "1"]) == 0
    out = capsys.readouterr().out
    assert "0001  Eleanor Whitfield  ·  0 of 4 products delivered · 4 to send" in out
    assert "wall  To send" in out and "Digital file" not in out

    assert main.main(["--data", data, "lines", "1", "--sent", "wall", "2"]) == 0
    assert "The 2 products are at the lab." in capsys.readouterr().out
    note = "UPS 1Z999AA10123456784"
    assert main.main(["lines", "#1", "--shipped", "wall", "4", "--note", note, "--data", data]) == 0
    out = capsys.readouterr().out
    assert "The 2 products are shipped. The client is e-mailed at eleanor@example.com." in out
    assert f"wall  Shipped     Gallery canvas 30×40, 1.5″ gallery wrap  ·  {note}" in out

    assert main.main(["--data", data, "lines", "1", "--delivered", "3"]) == 1
    assert "is not a product of this order" in capsys.readouterr().err
    assert main.main(["--data", data, "lines", "1", "--back", "wall", "--note", "Lost"]) == 0
    assert "The product is at the lab." in capsys.readouterr().out
    assert main.main(["--data", data, "lines", "1", "--back", "5"]) == 1
    assert "already to send" in capsys.readouterr().err

    again = open_studio(studio.paths.root)
    try:
        moves = [(e.line, e.state, e.note) for e in line_events(again.store, 1)]
        assert moves[-1] == ("wall", "lab", "Lost") and len(moves) == 5
        assert [e.kind for e in outbox.entries(again.store)].count("shipped") == 1
    finally:
        again.close()
