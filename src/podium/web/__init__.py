"""HTTP: the ASGI app's routes per role, templates, static files, SSE endpoints."""
