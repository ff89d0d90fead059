"""Static files under a version: /static/<hash of the whole tree>/js/live.js.

One hash over the tree, not one per file: the ES modules import each other by
relative paths ("./live.js"), which then resolve inside the same versioned folder.
A versioned URL never changes its content, so browsers may keep it for a year; after
an upgrade the pages name a new folder and phones fetch the new scripts. The bare
/static/js/live.js keeps working for pages rendered before an upgrade, revalidated
on every use."""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC = Path(__file__).with_name("static")
VERSION_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_VERSION = re.compile(f"[0-9a-f]{{{VERSION_LENGTH}}}")


@cache
def tree_version(directory: Path = STATIC) -> str:
    """A hash of every file's path and content, computed once per process."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:VERSION_LENGTH]


def static_url(path: str) -> str:
    return f"/static/{tree_version()}/{path.lstrip('/')}"


class VersionedStatic(StaticFiles):
    def __init__(self, directory: Path = STATIC) -> None:
        super().__init__(directory=directory)
        self.version = tree_version(directory)

    async def get_response(self, path: str, scope: Scope) -> Response:
        head, _, rest = path.partition(os.sep)
        cache_control = REVALIDATE
        if head == self.version and rest:
            path, cache_control = rest, IMMUTABLE
        elif _VERSION.fullmatch(head) and rest:
            # Another release's folder (a page from before an upgrade, or from a peer
            # not yet upgraded): our file, but never cached under that name for good.
            path = rest
        response = await super().get_response(path, scope)
        if response.status_code < 400:
            response.headers["cache-control"] = cache_control
        return response
