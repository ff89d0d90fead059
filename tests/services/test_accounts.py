from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from podium.domain.errors import NotFound, RuleViolation
from podium.runtime import Runtime
from podium.services import accounts, catalog
from podium.store.tables import User
from tests.services.catalog_helpers import snapshot

PASSWORD = "korrekt-pferd-batterie"


async def stored_hash(rt: Runtime, email: str) -> str:
    async with rt.sessions() as session:
        value = await session.scalar(select(User.password_hash).where(User.email == email))
    assert value is not None
    return value


async def test_create_user_normalises_email_and_stores_an_argon2id_hash(runtime: Runtime) -> None:
    user = await accounts.create_user(runtime, "  Anna.Muster@Example.ORG ", PASSWORD, "Anna")
    assert (user.email, user.name, user.role) == ("anna.muster@example.org", "Anna", "organiser")
    password_hash = await stored_hash(runtime, "anna.muster@example.org")
    assert password_hash.startswith("$argon2id$")
    assert PASSWORD not in password_hash
    fetched = await accounts.get_user(runtime, user.id)
    assert fetched is not None and fetched.email == user.email
    assert await accounts.get_user(runtime, 999) is None


async def test_an_email_can_have_only_one_account_whatever_its_case(runtime: Runtime) -> None:
    await accounts.create_user(runtime, "anna@example.org", PASSWORD)
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as caught:
        await accounts.create_user(runtime, "ANNA@example.org", "ganz-anderes-passwort")
    assert caught.value.code == "email_taken"
    assert await snapshot(runtime) == before


@pytest.mark.parametrize(
    ("email", "password", "role", "code", "params"),
    [
        ("anna", PASSWORD, "organiser", "bad_email", {}),
        ("anna@example", PASSWORD, "organiser", "bad_email", {}),
        ("an na@example.org", PASSWORD, "organiser", "bad_email", {}),
        ("a" * 250 + "@x.de", PASSWORD, "organiser", "bad_email", {}),
        ("an\x00na@example.org", PASSWORD, "organiser", "bad_email", {}),
        ("anna@example.org", "kurz", "organiser", "password_too_short", {"min": 10}),
        ("anna@example.org", "123456789", "organiser", "password_too_short", {"min": 10}),
        (
            "anna@example.org",
            PASSWORD,
            "admin",
            "bad_role",
            {"allowed": "administrator, organiser, moderator"},
        ),
    ],
)
async def test_bad_account_input_is_refused(
    runtime: Runtime, email: str, password: str, role: str, code: str, params: dict[str, object]
) -> None:
    before = await snapshot(runtime)
    with pytest.raises(RuleViolation) as caught:
        await accounts.create_user(runtime, email, password, role=role)
    assert (caught.value.code, caught.value.params) == (code, params)
    assert await snapshot(runtime) == before


async def test_an_address_with_a_nul_character_finds_nobody(runtime: Runtime) -> None:
    """PostgreSQL refuses U+0000 even in a query's parameter; no stored address has it."""
    event = await catalog.create_event(runtime, "Podium")
    await accounts.create_user(runtime, "anna@example.org", PASSWORD, "Anna")
    nul = "anna@example.org\x00"
    assert await accounts.authenticate(runtime, nul, PASSWORD) is None
    assert await accounts.get_user_by_email(runtime, nul) is None
    with pytest.raises(NotFound):
        await accounts.assign_moderator(runtime, event.id, nul)
    with pytest.raises(RuleViolation) as caught:
        await accounts.create_user(runtime, "bert@example.org", PASSWORD, "Be\x00rt")
    assert caught.value.code == "control_characters"


async def test_authenticate_accepts_only_the_right_password(runtime: Runtime) -> None:
    user = await accounts.create_user(runtime, "anna@example.org", PASSWORD)
    found = await accounts.authenticate(runtime, " Anna@Example.org", PASSWORD)
    assert found is not None and found.id == user.id
    assert await accounts.authenticate(runtime, "anna@example.org", PASSWORD + "x") is None
    assert await accounts.authenticate(runtime, "anna@example.org", "") is None
    assert await accounts.authenticate(runtime, "bert@example.org", PASSWORD) is None


async def test_an_old_weaker_hash_is_replaced_at_the_next_login(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())  # the production costs
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    async with runtime.sessions() as session, session.begin():
        session.add(User(email="alt@example.org", password_hash=weak, role="organiser"))
    assert await accounts.authenticate(runtime, "alt@example.org", PASSWORD) is not None
    renewed = await stored_hash(runtime, "alt@example.org")
    assert renewed != weak and renewed.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(renewed)
    assert await accounts.authenticate(runtime, "alt@example.org", PASSWORD) is not None


async def test_set_password_replaces_the_old_one(runtime: Runtime) -> None:
    await accounts.create_user(runtime, "anna@example.org", PASSWORD)
    await accounts.set_password(runtime, "ANNA@example.org", "ein-neues-passwort")
    assert await accounts.authenticate(runtime, "anna@example.org", PASSWORD) is None
    assert await accounts.authenticate(runtime, "anna@example.org", "ein-neues-passwort")
    with pytest.raises(RuleViolation) as caught:
        await accounts.set_password(runtime, "anna@example.org", "kurz")
    assert caught.value.code == "password_too_short"
    with pytest.raises(NotFound) as caught:
        await accounts.set_password(runtime, "bert@example.org", "ein-neues-passwort")
    assert caught.value.code == "unknown_user"


async def test_moderators_run_only_the_events_they_are_assigned_to(runtime: Runtime) -> None:
    organiser = await accounts.create_user(runtime, "org@example.org", PASSWORD)
    moderator = await accounts.create_user(runtime, "mod@example.org", PASSWORD, role="moderator")
    mine = await catalog.create_event(runtime, "Meins")
    other = await catalog.create_event(runtime, "Anderes")

    assert await accounts.can_moderate(runtime, organiser, mine.id)
    assert await accounts.can_moderate(runtime, organiser, other.id)
    assert not await accounts.can_moderate(runtime, organiser, 999)
    assert not await accounts.can_moderate(runtime, moderator, mine.id)

    await accounts.assign_moderator(runtime, mine.id, "MOD@example.org")
    await accounts.assign_moderator(runtime, mine.id, "mod@example.org")  # twice is fine
    assert await accounts.can_moderate(runtime, moderator, mine.id)
    assert not await accounts.can_moderate(runtime, moderator, other.id)
    assert [u.email for u in await accounts.list_moderators(runtime, mine.id)] == [
        "mod@example.org"
    ]

    await accounts.unassign_moderator(runtime, mine.id, "mod@example.org")
    assert not await accounts.can_moderate(runtime, moderator, mine.id)
    assert await accounts.list_moderators(runtime, mine.id) == []


async def test_assigning_needs_a_known_event_and_account(runtime: Runtime) -> None:
    await accounts.create_user(runtime, "mod@example.org", PASSWORD, role="moderator")
    event = await catalog.create_event(runtime, "Podium")
    with pytest.raises(NotFound) as caught:
        await accounts.assign_moderator(runtime, 999, "mod@example.org")
    assert caught.value.code == "unknown_event"
    with pytest.raises(NotFound) as caught:
        await accounts.assign_moderator(runtime, event.id, "niemand@example.org")
    assert caught.value.code == "unknown_user"
