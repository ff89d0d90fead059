"""The `Allow` header of a 405: every method the route table answers at the path.

Starlette stops at the first route whose path matches and names only its methods,
but podium declares one route per method (GET and POST of /api/v1/events/{ref}/live
are two), so its 405 said `Allow: GET` where POST works too. Walked only when a 405
is answered, never on a request that found its route.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request


def allowed_methods(request: Request) -> str:
    methods = _methods(request.app.router.routes, request.url.path)
    return ", ".join(sorted(methods))


def _methods(routes: list[Any], path: str) -> set[str]:
    found: set[str] = set()
    for route in routes:
        included = getattr(route, "original_router", None)  # an included router
        if included is not None:
            prefix = route.include_context.prefix
            if path.startswith(prefix):
                found |= _methods(included.routes, path[len(prefix) :])
            continue
        regex = getattr(route, "path_regex", None)
        methods = getattr(route, "methods", None)
        if regex is not None and methods and regex.match(path):
            found |= set(methods)
    return found
