"""After the viewing, the client's photos: the retouched finals matched to the order (finals),
the gallery behind its link (gallery), the ZIP written while it is sent (ziplayout)."""
