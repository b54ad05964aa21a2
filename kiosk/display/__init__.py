"""The room display: the big picture of whatever the touch screen shows, on a second screen in
the room or for a client on a video call, read-only.

- `links`: who may watch (display and video-call links, hashed, expiring, ended on a session
  switch or "Forget all tablets");
- `state`: what a display is sent for each screen, nothing private;
- `wallfeed`: the wall design as the TV's wall-art screen shows it, drag steps included;
- `wallrender`: that design rendered at a display's size, one at a time, newest first, a drag
  step drawing only the piece that moved;
- `printfeed`: the print the actual-size screen shows, for a display to draw at its true size;
- `room`: what the display pages of one web app share.

The page and its routes are kiosk/web/routes/display.py, templates/display.html and
static/display.js; `main.py display` (kiosk/cli/display.py) opens it on a second monitor.
"""
