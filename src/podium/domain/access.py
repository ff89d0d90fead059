"""Who may do what to an event or a series: the one decision, for every route.

An administrator may do everything. An organiser organises (reads, changes, exports,
deletes) and runs the events and series of their own organisation; another
organisation's are *hidden*: they answer exactly like ids that do not exist (404),
so that an organiser cannot learn which ids other organisations use. A moderator runs
only the events they are assigned to and organises nothing; what they may not run is
*forbidden* (403) whether it exists or not, as before, so that this tells them nothing
either. Anybody else (another role, or none) is forbidden.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

ADMINISTRATOR = "administrator"
ORGANISER = "organiser"
MODERATOR = "moderator"
ROLES = (ADMINISTRATOR, ORGANISER, MODERATOR)

# "organise": read, change, export, delete, publish, invite, assign moderators.
# "moderate": run the live event (console, contributions, word edits, results).
Action = Literal["organise", "moderate"]


class Decision(Enum):
    ALLOWED = "allowed"
    HIDDEN = "hidden"  # answered as "not found"
    FORBIDDEN = "forbidden"


def decide(
    role: str,
    user_organisation: int | None,
    resource_organisation: int | None,
    assigned: bool,
    action: Action,
) -> Decision:
    """May a user with `role` in `user_organisation` do `action` to an event or series
    of `resource_organisation`? `assigned` says whether the user is one of the event's
    moderators (always False for series). A resource of no organisation is one only an
    administrator sees; a user of no organisation owns nothing."""
    if role == ADMINISTRATOR:
        return Decision.ALLOWED
    if role == ORGANISER:
        owns = user_organisation is not None and user_organisation == resource_organisation
        return Decision.ALLOWED if owns else Decision.HIDDEN
    if role == MODERATOR and action == "moderate" and assigned:
        return Decision.ALLOWED
    return Decision.FORBIDDEN


def organises(role: str) -> bool:
    """Whether the role reaches the organiser's pages at all (which events and series
    it then sees is `decide`'s, and `sees_all`'s)."""
    return role in (ADMINISTRATOR, ORGANISER)


def sees_all(role: str) -> bool:
    """Lists (dashboard, API, the series choice) show everything to an administrator,
    and an organiser only their organisation's."""
    return role == ADMINISTRATOR


def manages_accounts(role: str) -> bool:
    return role == ADMINISTRATOR


def needs_organisation(role: str) -> bool:
    """Every account but an administrator's belongs to an organisation."""
    return role != ADMINISTRATOR
