"""The studio's Product & Pricing Guide, made from the price list (kiosk/core/guide.py): a PDF
for the client to read before the viewing, and its phone page."""
