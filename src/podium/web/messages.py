"""Every error's message, in the user's language.

The domain, the services and the web layer raise codes; this is the one place that
words them. tests/web/test_error_codes.py finds every code raised in the source and
fails for one without its English and German message here.
"""

from __future__ import annotations

from typing import Any

from podium.i18n import gettext as _

# Marked with N_ so that extraction finds them; translated when shown.


def N_(message: str) -> str:
    return message


MESSAGES: dict[str, str] = {
    "malformed": N_("The answer could not be read. Please try again."),
    "answer_too_large": N_("The answer is too long to be sent."),
    "server_error": N_("Something went wrong on the server. Please try again."),
    "no_choice": N_("Please choose an option."),
    "unknown_option": N_("That option does not belong to this question."),
    "too_many_choices": N_("Please choose at most %(max)s options."),
    "out_of_scale": N_("Please choose a value from %(min)s to %(max)s."),
    "control_characters": N_("The text contains characters that are not allowed."),
    "empty_text": N_("Please write something first."),
    "text_too_long": N_("Please keep it to %(max)s characters."),
    "word_too_long": N_("A word may have at most %(max)s characters."),
    "word_without_letters": N_("Each entry needs at least one letter or digit."),
    "no_words": N_("Please enter at least one word."),
    "mixed_scripts": N_("Please write each word in one alphabet (not Latin and Cyrillic mixed)."),
    "too_many_words": N_("Please enter at most %(max)s words."),
    "bad_answer_id": N_("The answer could not be read. Please reload the page."),
    "voting_closed": N_("Voting on this question is closed."),
    "already_answered": N_("You have already answered this question."),
    "answer_id_reused": N_("This answer was already sent with different content."),
    "answer_blocked": N_(
        "Please rephrase your answer: it contains words that are not allowed here (%(words)s)."
    ),
    "unknown_question": N_("This question does not exist in this event."),
    "unknown_event": N_("This event does not exist (any more)."),
    "unknown_code": N_("There is no event with this code."),
    "bad_join_code": N_("Please enter the 8-digit code shown on the screen."),
    "participant_token_invalid": N_(
        "Your browser's participant identity is not valid here. Please reload the page."
    ),
    "too_many_participants": N_(
        "Too many participants are joining from your network right now. "
        "Please try again in %(seconds)s seconds."
    ),
    "too_many_wrong_codes": N_(
        "Too many wrong codes were tried from your network. "
        "Please try again in %(seconds)s seconds."
    ),
    "access_code_required": N_(
        "This event needs its access code. Please reload the page and enter it."
    ),
    "wrong_access_code": N_("This access code is not right. Please check it and try again."),
    "access_code_too_long": N_("The access code may have at most %(max)s characters."),
    "too_few_options": N_("A choice question needs at least %(min)s options."),
    "too_many_options": N_("A question may have at most %(max)s options."),
    "empty_option": N_("Options must not be empty."),
    "option_too_long": N_("An option may have at most %(max)s characters."),
    "bad_max_choices": N_("The number of choices must be between 1 and %(max)s."),
    "bad_scale": N_("The scale needs a lower end below its upper end, at most 10 steps apart."),
    "bad_max_words": N_("Participants may enter 1 to %(max)s words."),
    "bad_max_length": N_("The text limit must be between 1 and %(max)s characters."),
    "empty_title": N_("Please enter a title."),
    "title_too_long": N_("The title may have at most %(max)s characters."),
    "unknown_kind": N_("Unknown question type."),
    "unknown_series": N_("This series does not exist."),
    "question_has_answers": N_(
        "This question already has answers: its type and scale can no longer be changed"
        " and its options can no longer be removed."
    ),
    "email_taken": N_("An account with this e-mail address already exists."),
    "bad_email": N_("Please enter a valid e-mail address."),
    "unknown_language": N_("This language is not available."),
    "email_too_long": N_("An e-mail address may have at most %(max)s characters."),
    "password_too_short": N_("The password needs at least %(min)s characters."),
    "bad_login": N_("E-mail address or password is wrong."),
    "login_throttled": N_(
        "Too many failed sign-ins. Please wait %(minutes)s minutes and try again."
    ),
    "cross_origin": N_("Requests from other websites are not accepted."),
    "csrf": N_("The form has expired. Please reload the page and try again."),
    "forbidden": N_("You are not allowed to do this."),
    "login_required": N_("Please sign in first."),
    "not_found": N_("This page does not exist."),
    "bad_request": N_("The request could not be read."),
    "method_not_allowed": N_("This address cannot be used this way."),
    "bad_yaml": N_("The file could not be read: %(detail)s"),
    # Raised by the catalog and account services.
    "description_too_long": N_("The description may have at most %(max)s characters."),
    "format_too_long": N_("The format may have at most %(max)s characters."),
    "bad_language": N_("Please choose one of these languages: %(allowed)s."),
    "bad_starts_at": N_("Please enter a date and time like 2021-02-02 10:00."),
    "starts_at_without_timezone": N_("The start time needs a time zone."),
    "bad_option": N_("Each option must be a text."),
    "bad_setting": N_("This setting has a value that cannot be used: %(name)s."),
    "unknown_setting": N_("Unknown setting: %(name)s."),
    "scale_label_too_long": N_("A scale label may have at most %(max)s characters."),
    "unknown_user": N_("There is no account with this e-mail address."),
    "name_too_long": N_("The name may have at most %(max)s characters."),
    "password_too_long": N_("The password may have at most %(max)s characters."),
    "bad_role": N_("Please choose one of these roles: %(allowed)s."),
    "administrator_without_organisation": N_(
        "Administrators belong to no organisation: please leave the organisation empty."
    ),
    "organisation_name_missing": N_("Please enter the organisation's name."),
    "own_account": N_("You cannot change your own account here."),
    "passwords_differ": N_("The two passwords differ."),
    "link_invalid": N_("This link is used up, has expired or never existed."),
    # Raised by the organiser's forms.
    "bad_date": N_("Please enter a date and time like 2021-02-02 10:00."),
    "no_file": N_("Please choose a file to upload."),
    "file_too_large": N_("The file may be at most %(max)s kB."),
    "file_not_text": N_("The file is not a text file in UTF-8."),
    # Written contributions (domain/contributions.py, services/contributions.py, moderation.py)
    "empty_contribution": N_("Please write something first."),
    "contribution_too_long": N_("Please keep it to %(max)s characters."),
    "contribution_too_short": N_("Please write at least %(min)s characters."),
    "contribution_blocked": N_(
        "Please rephrase your contribution: it contains words that are not allowed here"
        " (%(words)s)."
    ),
    "unknown_panelist": N_("Please choose one of the panelists of this event."),
    "too_fast": N_("Please wait %(seconds)s seconds before sending another contribution."),
    "duplicate_contribution": N_("This contribution has just been sent already."),
    "banned": N_("You can no longer send contributions to this event."),
    "contributions_closed": N_("Contributions to this event are closed."),
    "unknown_contribution": N_("This contribution does not exist (any more)."),
    "contribution_not_votable": N_("Only contributions shown to everyone can be upvoted."),
    "contribution_not_possible": N_(
        "This is not possible for this contribution in its current state. The list has"
        " been updated."
    ),
    "contribution_changed": N_(
        "Another moderator has just changed this contribution. Please look at it again."
    ),
    "merge_itself": N_("A contribution cannot be merged with itself."),
    "unknown_action": N_("Unknown action."),
    "unknown_moderation": N_("Please choose pre- or post-moderation."),
    "unknown_screen_mode": N_("Unknown screen view."),
    "entry_too_long": N_("An entry may have at most %(max)s characters."),
    # Word-cloud edits (domain/word_edits.py, services/word_edits.py)
    "not_a_word_cloud": N_("This question is not a word cloud."),
    "unknown_word": N_("This word is not in the cloud (any more)."),
    "merge_same_word": N_("A word cannot be merged into itself."),
    "word_already_merged": N_("This word is already merged; undo that merge first."),
    "word_not_shown": N_("This word is merged or hidden; choose a word the cloud shows."),
    "word_already_hidden": N_("This word is already hidden."),
    "edit_already_undone": N_("This change has already been undone."),
    "unknown_download": N_("There is no such download."),
    # Reports (domain/report.py)
    "unknown_report_format": N_("Reports are made as PDF, XLSX or ZIP (CSV files)."),
    "unknown_report_question": N_("These questions are not part of this event: %(ids)s."),
    "unknown_report_language": N_("Reports are made in these languages: %(languages)s."),
    "report_logo_unusable": N_(
        "The logo for reports (%(path)s) cannot be used: it must be an SVG or PNG file of at "
        "most 2 MB that the server can read. Please tell whoever runs podium."
    ),
    "cover_note_too_long": N_("The cover note may have at most %(max)s characters."),
    # The published results (services/publication.py)
    "unknown_results_link": N_(
        "These results are not published (any more). Please ask the organiser for the current link."
    ),
    "bad_frame_origin": N_(
        "“%(origin)s” is not an origin. Please write it as https://host or https://host:port."
    ),
    "frame_origin_path": N_(
        "“%(origin)s” has a path. Please give only the origin, such as https://meet.example.org."
    ),
    "frame_origin_not_https": N_(
        "“%(origin)s” does not use https. Only http://localhost may use plain http."
    ),
    "too_many_frame_origins": N_("Please list at most %(max)s origins."),
}

# Overload and oversized requests (store/writer.py, web/body_limit.py)
MESSAGES |= {
    "busy": N_(
        "Many answers are arriving at once: yours was not stored yet. Please send it again"
        " in a few seconds."
    ),
    "request_too_large": N_("The request is too large: at most %(max)s kB can be sent here."),
}


# Comparing a series (domain/series_compare.py)
MESSAGES |= {
    "bad_match_key": N_(
        "The comparison key may contain only letters a–z, digits and . _ - (not at its"
        " start or end), for example “top-themes-2021”."
    ),
    "match_key_too_long": N_("The comparison key may have at most %(max)s characters."),
}


# Invitations and reminders (domain/invitation_text.py, services/invitations.py)
MESSAGES |= {
    "unbalanced_brace": N_(
        "Curly braces are only for placeholders such as {title}: one of them has no partner."
    ),
    "unknown_placeholder": N_(
        "These placeholders do not exist: %(names)s. Please use only those listed below the form."
    ),
    "empty_subject": N_("Please enter a subject."),
    "subject_line_break": N_("The subject must be a single line."),
    "subject_too_long": N_("The subject may have at most %(max)s characters."),
    "empty_mail_text": N_("Please enter the text of the mail."),
    "mail_text_too_long": N_("The text may have at most %(max)s characters."),
    "join_link_not_public": N_(
        "The placeholder {join_link} can only be used once the event's join link is public."
        " Make it public in the event's settings, or remove the placeholder."
    ),
    "invitation_no_series": N_("Only events of a series can be sent to its subscribers."),
    "invitation_not_public": N_(
        "Invitations can only be sent for a public event in a public series."
    ),
    "invitation_cancelled": N_("This event is cancelled: no invitation can be sent for it."),
    "invitation_past": N_("This event is over or has no date: invitations go to upcoming events."),
    "no_recipients": N_("Nobody has consented to mails about this event yet."),
    "invitation_already_sent": N_(
        "This mail has already been sent to the subscribers of this event."
    ),
    "invitation_running": N_(
        "Mails of this event are being sent right now. Please wait until they are out."
    ),
}


# Sign-up with double opt-in (domain/subscription.py, services/subscriptions.py)
MESSAGES |= {
    "consent_missing": N_("Please tick the box to agree to the consent text."),
    "consent_text_changed": N_(
        "The consent text has just been changed. Please read the current text below and"
        " send the form again."
    ),
    "no_events_chosen": N_("Please choose at least one event, or the whole series."),
    "unknown_signup_event": N_(
        "One of the chosen events is no longer open for sign-up. Please choose again."
    ),
    "signup_closed": N_("This series has no upcoming events to sign up for at the moment."),
    "too_many_signups": N_(
        "Too many sign-ups have been sent from your connection. Please try again in"
        " %(minutes)s minutes."
    ),
    "confirm_link_unknown": N_(
        "This confirmation link is not valid. Please use the link from the most recent mail,"
        " or sign up again."
    ),
    "confirm_link_other_series": N_(
        "This confirmation link belongs to another series. Please open the link exactly as"
        " it is in the mail."
    ),
    "confirm_link_used": N_("This link has already been used: your sign-up is confirmed."),
    "confirm_link_expired": N_(
        "This confirmation link has expired. Please sign up again on the series page."
    ),
    "unsubscribe_link_unknown": N_(
        "This unsubscribe link is not valid. Please use the link from the most recent mail."
    ),
    "consent_text_empty": N_("Please enter the German consent text."),
    "consent_text_too_long": N_("A consent text may have at most %(max)s characters."),
    "unknown_subscriber": N_("This subscriber does not exist (any more)."),
}


def message(code: str, params: dict[str, Any] | None = None) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return _("The request could not be processed (%(code)s).", code=code)
    return _(template, **(params or {}))


KIND_NAMES: dict[str, str] = {
    "single": N_("Single choice"),
    "multiple": N_("Multiple choice"),
    "scale": N_("Scale"),
    "words": N_("Word cloud"),
    "text": N_("Open text"),
}


def kind_name(kind: str) -> str:
    return _(KIND_NAMES.get(kind, kind))
