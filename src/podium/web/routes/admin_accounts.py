"""Accounts in the browser, for administrators: list, invite by link, change the role,
deactivate, delete, reset a password by link; the account log. And the page where a
link's holder sets their password."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from podium.domain.access import ROLES
from podium.domain.errors import RuleViolation
from podium.services import account_admin, accounts
from podium.services.organisations import list_organisations
from podium.store.tables import User
from podium.web.auth import checked_form, require_administrator, require_user
from podium.web.deps import render, runtime
from podium.web.routes.organiser_forms import FormState, local_time, parse_id, see_other

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_administrator)])
public = APIRouter(include_in_schema=False)


async def _page(
    request: Request,
    form: FormState | None = None,
    link: str = "",
    link_for: str = "",
    status: int = 200,
) -> Response:
    rt = runtime(request)
    users = await accounts.list_users(rt)
    orgs = {o.id: o.name for o in await list_organisations(rt)}
    return render(
        request,
        "organiser/accounts.html",
        status,
        users=users,
        orgs=orgs,
        roles=ROLES,
        me=await require_user(request),
        log=await account_admin.account_log(rt),
        form=form or FormState("invite", {"role": "organiser"}),
        link=link,
        link_for=link_for,
        local_time=local_time,
    )


def _link(request: Request, token: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/account/password/{token}"


@router.get("/admin/accounts")
async def accounts_page(request: Request) -> Response:
    return await _page(request)


@router.post("/admin/accounts/invite")
async def invite(request: Request) -> Response:
    form = await checked_form(request)
    actor = await require_user(request)
    try:
        token = await account_admin.invite(
            runtime(request),
            actor,
            form.get("email", ""),
            form.get("role", ""),
            form.get("organisation", ""),
        )
    except RuleViolation as exc:
        failed = FormState.failed("invite", form, exc, fields=["email"])
        return await _page(request, failed, status=exc.status)
    return await _page(request, link=_link(request, token), link_for=form.get("email", ""))


async def _target(request: Request, user_id: str) -> tuple[User, int, dict[str, str]]:
    form = await checked_form(request)
    return await require_user(request), parse_id(user_id), form


@router.post("/admin/accounts/{user_id}/role")
async def change_role(request: Request, user_id: str) -> Response:
    actor, ident, form = await _target(request, user_id)
    await account_admin.change_role(runtime(request), actor, ident, form.get("role", ""))
    return see_other("/admin/accounts")


@router.post("/admin/accounts/{user_id}/active")
async def set_active(request: Request, user_id: str) -> Response:
    actor, ident, form = await _target(request, user_id)
    await account_admin.set_active(runtime(request), actor, ident, form.get("active") == "1")
    return see_other("/admin/accounts")


@router.post("/admin/accounts/{user_id}/delete")
async def delete(request: Request, user_id: str) -> Response:
    actor, ident, _ = await _target(request, user_id)
    await account_admin.delete_account(runtime(request), actor, ident)
    return see_other("/admin/accounts")


@router.post("/admin/accounts/{user_id}/reset")
async def reset(request: Request, user_id: str) -> Response:
    actor, ident, _ = await _target(request, user_id)
    rt = runtime(request)
    token = await account_admin.reset_link(rt, actor, ident)
    user = await accounts.get_user(rt, ident)
    return await _page(request, link=_link(request, token), link_for=user.email if user else "")


@public.get("/account/password/{token}")
async def password_page(request: Request, token: str) -> Response:
    user = await account_admin.link_account(runtime(request), token)
    status = 200 if user is not None else 404
    return render(
        request,
        "account_password.html",
        status,
        account=user,
        token=token,
        form=FormState("password"),
    )


@public.post("/account/password/{token}")
async def password_set(request: Request, token: str) -> Response:
    form = await checked_form(request)
    rt = runtime(request)
    user = await account_admin.link_account(rt, token)
    if user is None:
        return render(request, "account_password.html", 404, account=None, token=token)
    try:
        if form.get("password", "") != form.get("again", ""):
            raise RuleViolation("passwords_differ")
        await account_admin.use_link(rt, token, form.get("password", ""))
    except RuleViolation as exc:
        failed = FormState.failed("password", {}, exc, fields=["password"])
        return render(
            request, "account_password.html", exc.status, account=user, token=token, form=failed
        )
    return see_other("/login")
