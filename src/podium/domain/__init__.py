"""Pure rules of podium: no I/O, no web, no SQL."""
