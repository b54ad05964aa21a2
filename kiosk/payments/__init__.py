"""An order's payments after the viewing: recording them (ledger), the client's receipt PDF and
e-mail (receipt), and the one reminder before each instalment falls due (reminders)."""
