"""Reveal, the viewing-room kiosk."""

import logging

# pyvips logs each operation at DEBUG with its images as arguments, and formatting an image
# (its __repr__) logs again from inside the handler. With DEBUG on (Kivy turns the root logger
# up) two threads using libvips deadlocked on two handlers' locks. Its chatter is not ours to
# keep: below WARNING it is dropped before any formatting.
logging.getLogger("pyvips").setLevel(logging.WARNING)
