"""Photos into a session from the tablet: a folder on the kiosk's drives, or an upload from the
browser, both through the same import pipeline as `main.py import`, beside the session on the
TV and never in its way.

`roots` says which folders may be browsed (and refuses every way out of them), `uploads` puts
a browser's file back together chunk by chunk and checks its hash, `runner` runs the imports one
at a time off the loop's thread and reports their progress.
"""
