"""Albums beyond the core's rules: the spread template files in `layouts/albums/`, and spreads
drawn as pictures (the TV's template strip, the invoice, the lab's files)."""
