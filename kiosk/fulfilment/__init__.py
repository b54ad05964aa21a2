"""An order's products on their way: lines sent to the lab, shipped (the client e-mailed with
the tracking note) and delivered. The rules are kiosk/core/fulfilment.py's."""
