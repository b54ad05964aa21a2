"""The studio's sessions run from the tablet, beyond their rows: what touches files.

- delete.py   a session deleted with its rows (kiosk/store/sessions.py) and the studio's own
              files they named: cached previews and thumbnails, wall photos, mock-ups

Its rules are in kiosk/core/sessions.py and kiosk/core/clients.py.
"""
