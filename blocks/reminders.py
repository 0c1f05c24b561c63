"""Reminders as Slack messages: the policy's review, read-and-acknowledge, and permissions coming to an end."""

import datetime as dt

from blocks import ids
from blocks.text import button, context, escape, section
from knowledge.protocol import Protocol
from workflows.access_requests import AccessRequest
from workflows.timekeeping import long_date


def review_reminder(protocol: Protocol, today: dt.date, unanswered: list[str]) -> tuple[str, list[dict]]:
    due = protocol.next_review_due
    if today < due:
        when = f"is due for review in {(due - today).days} days ({protocol.next_review}, {long_date(due)})"
    elif today == due:
        when = f"is due for review today ({protocol.next_review})"
    else:
        when = f"was due for review {protocol.next_review} ({long_date(due)}) and is now overdue"
    text = f"The {protocol.title} {when}."
    blocks = [
        section(f"*{escape(text)}*"),
        section(f"It was last reviewed on {long_date(protocol.reviewed_on)} by {escape(protocol.reviewed_by)}. "
                "When the review is done, update the review dates in `knowledge/protocol.toml` so staff see the "
                "new version."),
    ]
    if unanswered:
        listed = "\n".join(f"• {escape(q[:200])}" for q in unanswered[:10])
        more = f"\n…and {len(unanswered) - 10} more." if len(unanswered) > 10 else ""
        blocks.append(section(f"*Since the last review, staff asked {len(unanswered)} question(s) the protocol did "
                              f"not answer*, for example:\n{listed}{more}"))
    return text, blocks


def acknowledge_request(protocol: Protocol, version: str, acknowledged_on: str | None = None,
                        reminder: bool = False) -> tuple[str, list[dict]]:
    summary = protocol.sections["summary"]
    first = "A reminder: please" if reminder else "Please"
    text = f"{first} read the Trust's {protocol.title} ({protocol.version}) and confirm you have understood it."
    blocks = [
        section(f"*{escape(text)}*"),
        section(f"*The headline rule:* {escape(summary.text)}"),
        section("It also covers friend requests from pupils and parents (5.1, 5.2), written permission to use "
                "social media for work (5.3 to 5.6), reporting online abuse straight away (4.2, 4.3), privacy "
                "settings and photos (Appendix 1), and what not to post about the Trust (Appendix 2).\n"
                "Ask me anything about it: send me a message, or type `/policy` and your question."),
    ]
    if acknowledged_on:
        blocks.append(context(f"Thank you. You confirmed you have read and understood it on {acknowledged_on}."))
    else:
        blocks.append({"type": "actions", "elements": [
            button("I have read and understood", ids.ACKNOWLEDGE_POLICY, version, "primary")]})
    return text, blocks


def expiring(request: AccessRequest, today: dt.date) -> tuple[str, list[dict]]:
    days = (request.ends_on - today).days
    when = "tomorrow" if days == 1 else f"in {days} days" if days > 1 else "today"
    text = f"Your permission {request.reference} ends {when} ({long_date(request.ends_on)})."
    return text, [
        section(f"*{escape(text)}*\n{escape(request.platform)}, {escape(request.audience)}"),
        section("If the work still needs it, ask for a renewal. If the reason has ended, end it now and remove "
                "the contact: delete the friend status, close the group (section 5.6)."),
        {"type": "actions", "elements": [
            button("Ask for a renewal", ids.RENEW_REQUEST, str(request.id), "primary"),
            button("It has ended, contact removed", ids.END_PERMISSION, str(request.id))]},
    ]


def ended_confirm(request: AccessRequest, lead: str) -> tuple[str, list[dict]]:
    text = f"{lead} Please confirm the online contact has been removed (section 5.6)."
    return text, [
        section(escape(text)),
        section("That means deleting the friend status or connection, or closing the group, so no further "
                "communication can happen."),
        {"type": "actions", "elements": [
            button("Contact removed", ids.CONFIRM_REMOVED, str(request.id), "primary")]},
    ]


def notice(text: str) -> tuple[str, list[dict]]:
    return text, [section(escape(text))]
