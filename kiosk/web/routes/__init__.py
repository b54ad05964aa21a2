"""The web routes, one module per concern: pairing, the remote, images, the mirror."""
