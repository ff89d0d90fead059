"""`podium mail status` and `podium mail test ADDRESS`: what the mail queue holds,
where mails go, and one test mail sent at once."""

from __future__ import annotations

import argparse
from typing import Any

from podium.cli.common import UserError, format_when, table, with_runtime
from podium.runtime import Runtime
from podium.settings import Settings


def add_mail_command(sub: Any) -> None:
    mail = sub.add_parser("mail", help="the mail queue").add_subparsers(
        dest="mail_command", required=True, metavar="COMMAND"
    )
    mail.add_parser(
        "status",
        help="mails per state, the problems, invitation runs still sending, where mails go",
    ).set_defaults(func=cmd_mail_status)
    test = mail.add_parser("test", help="send a test mail now and say how it went")
    test.add_argument("address", metavar="ADDRESS", help="the recipient")
    test.set_defaults(func=cmd_mail_test)


def require_mail_settings(settings: Settings) -> None:
    """A PODIUM_SMTP_URL that cannot be read stops `podium serve` with one line."""
    from podium.mail.transport import smtp_target

    if settings.smtp_url:
        try:
            smtp_target(settings.smtp_url)
        except ValueError as exc:
            raise UserError(str(exc)) from None


def where(settings: Settings) -> str:
    from podium.mail.transport import destination

    if settings.smtp_url:
        return f"Mails go to the {destination(settings)}."
    return (
        f"No SMTP server is set (PODIUM_SMTP_URL): mails are written to the "
        f"{destination(settings)} as .eml files instead of being sent."
    )


def first_line(text: str) -> str:
    return (text.splitlines() or [""])[0][:120]


async def _status(rt: Runtime) -> str:
    from podium.services.mail_queue import problems, status
    from podium.services.mail_runs import sending_runs

    counts = await status(rt)
    lines = [where(rt.settings), ", ".join(f"{n} {state}" for state, n in counts.items())]
    runs = await sending_runs(rt)
    if runs:
        lines += ["", "Invitation runs still sending:"]
        rows = [
            [
                str(run.id),
                str(run.event_id),
                run.subject,
                format_when(run.created_at),
                f"{p['sent']} of {max(p['total'], run.recipients)} sent",
                f"{p['queued'] + p['sending']} waiting, {p['failed'] + p['unknown']} problems",
            ]
            for run, p in runs
        ]
        lines.append(table(["run", "event", "subject", "started", "progress", ""], rows))
    found = await problems(rt)
    if found:
        lines += ["", "Problems (failed: refused or given up; unknown: cut off while sending):"]
        rows = [
            [str(m.id), m.state, m.recipient, m.subject, first_line(m.last_error)] for m in found
        ]
        lines.append(table(["id", "state", "recipient", "subject", "error"], rows))
    return "\n".join(lines)


def cmd_mail_status(args: argparse.Namespace) -> int:
    print(with_runtime(Settings(), _status))
    return 0


def cmd_mail_test(args: argparse.Namespace) -> int:
    from podium.mail.probe import send_test_mail
    from podium.mail.transport import OutboxTransport, make_transport

    settings = Settings()
    transport = make_transport(settings)

    async def send(rt: Runtime) -> tuple[str, str, str]:
        mail, error = await send_test_mail(rt, transport, args.address)
        path = str(transport.path_of(mail)) if isinstance(transport, OutboxTransport) else ""
        return mail.state, error, path or mail.message_id

    state, error, detail = with_runtime(settings, send)
    if state == "sent":
        if settings.smtp_url:
            print(f"Sent to {args.address.strip()}: {where(settings)} Message-ID {detail}")
        else:
            print(f"{where(settings)} The test mail is {detail}")
        return 0
    print(f"Not sent ({state}): {error}")
    return 1
