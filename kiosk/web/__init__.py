"""The photographer's tablet remote and view-only mirrors, served by FastAPI in the kiosk's loop.

For the TV side (pairing overlay, settings), everything goes through one `Pairing`::

    from kiosk.web.pairing import Pairing
    from kiosk.web.server import base_url

    pairing = Pairing.for_store(studio.store)        # made once, passed to create_app
    base = base_url(app.web_server.port)             # http://<lan address>:<port>
    pairing.current_code()          # "042917": show it big; single use
    pairing.code_seconds_left()     # when to read the code again (it changes every 2 min)
    pairing.pair_url(base)          # for the QR: http://.../pair?code=042917
    pairing.mirror_url(base)        # view-only link for a second screen
    pairing.subscribe(callback)     # callback(pairing) after a pairing, a revocation, or
                                    # an early code change: refresh the overlay
    pairing.paired_devices()        # "2 tablets paired"
    pairing.revoke_all()            # settings: forget every tablet and mirror link now

See kiosk/web/app.py for the routes and kiosk/web/state.py for the websocket messages.
"""
