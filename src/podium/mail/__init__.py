"""Mail: what podium's mails say, how they are built (plain text and HTML, headers,
the event's calendar file) and how they leave (SMTP or the outbox folder).

Beside web and reports: services queue the mails (services/mail_queue.py), this
package sends them.
"""
