"""The `podium` command: serve, demo, db, user, event.

Every command reads its settings from the environment (PODIUM_*). Mistakes a user
can make end with a one-line message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from podium.cli.common import UserError, describe
from podium.cli.parser import parser
from podium.domain.errors import RuleViolation
from podium.settings import Settings
from podium.store.migrate import NotMigrated

__all__ = ["USER_ERROR", "main"]

USER_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    from pydantic import ValidationError
    from sqlalchemy.exc import ArgumentError, OperationalError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except RuleViolation as exc:
        return fail(describe(exc))
    except (NotMigrated, UserError) as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except (ArgumentError, OperationalError) as exc:  # PODIUM_DATABASE_URL is wrong or down
        first_line = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return fail(f"database {Settings().database_url}: {first_line}")
    except ValidationError as exc:  # a PODIUM_* variable that cannot be read
        error = exc.errors()[0]
        name = "PODIUM_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
        return fail(f"{name}: {error['msg']}")
    except KeyboardInterrupt:
        return 130


def fail(text: str) -> int:
    print(f"podium: error: {text}", file=sys.stderr)
    return USER_ERROR
