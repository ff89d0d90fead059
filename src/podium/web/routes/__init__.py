"""Routes, one module per role."""
