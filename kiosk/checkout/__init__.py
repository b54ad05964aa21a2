"""Checkout: the confirmed order as an invoice, its PDF, the e-mail outbox, QR codes and the
order export. docs/checkout.md describes the API and the outbox's guarantee.

- invoice.py   confirm_order, statuses, phone-link tokens
- pdf.py       render_invoice_pdf (pdf_kit.py: its reportlab parts)
- mailer.py    the invoice e-mail; outbox.py: durable queue and sender; smtp.py: the connection
- qr.py        qr_png
- export.py    export_order, for the lab and the retoucher
- production.py  the lab's print files and album spreads in the export's production/
- settings.py  the studio's invoice details and SMTP settings
"""
