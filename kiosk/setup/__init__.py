"""The machine the kiosk runs on: started with the desktop session (`autostart.py`), checked
by `main.py doctor` (`doctor.py`, its rules in kiosk.core.machine), and the window probe that
tells the graphics driver and the screen's size (`probe.py`)."""
