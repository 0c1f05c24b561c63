"""/request-access in Slack: the form, the approver's message, and what the requester is told."""

import datetime as dt

from blocks import ids
from blocks.forms import field, modal, option, radios, text_input
from blocks.text import SECTION_TEXT_LIMIT, button, context, escape, section
from workflows.access_requests import CONSENT, KINDS, LIMITS, PUPILS, STATUS_WORDS, AccessRequest
from workflows.timekeeping import long_date


def request_form(purpose: str = "", kind: str = "work_use", today: dt.date | None = None,
                 renewing: AccessRequest | None = None) -> dict:
    """The /request-access modal, prefilled with whatever was typed after the command, or with the permission
    being renewed."""
    today = today or dt.date.today()
    if renewing:
        return _prefilled(request_form(renewing.purpose, renewing.kind, today), renewing)
    return modal(ids.REQUEST_FORM, "Ask for permission", "Send request", [
        section("Your Head Teacher / Manager decides, and their approval is your written permission "
                "(section 5.3). Each question says why it is asked."),
        field("kind", "What are you asking for?", radios(KINDS, kind)),
        field("purpose", "What is it for?", text_input(purpose, multiline=True, limit=LIMITS["purpose"],
                                                     placeholder="e.g. Running the PE department's Instagram"),
               hint="Permission is given for a work purpose (section 5.3). For a connection, say why."),
        field("platform", "Which site or app?", text_input(limit=LIMITS["platform"], placeholder="e.g. Instagram")),
        field("account", "Which account?", text_input(limit=LIMITS["account"], placeholder="e.g. @oakfield_pe"),
               hint="A Trust / Academy account, not your personal one (section 5.3)."),
        field("audience", "Who will you be in contact with?",
               text_input(multiline=True, limit=LIMITS["audience"], placeholder="e.g. Year 11 revision group"),
               hint="Which pupils, year groups or families. For a connection, who it is with."),
        field("pupils", "Are pupils involved?", radios(PUPILS)),
        field("consent", "Parental consent", radios(CONSENT),
               hint="Pupils under 16 need a parent's or carer's consent; parents of over-16s should be "
                    "told (section 5.5)."),
        field("devices", "Devices", {"type": "checkboxes", "options": [option(
            "yes", "I will use Trust / Academy devices only (section 5.3)", "Not my own phone or computer.")]},
               optional=True),
        field("starts_on", "Start date", {"type": "datepicker", "initial_date": today.isoformat()}),
    field("ends_on", "End date", {"type": "datepicker"},
          hint="Contact must end, and be deleted, when the reason ends (section 5.6)."),
    ])


def _prefilled(form: dict, request: AccessRequest) -> dict:
    """A renewal starts from the permission it renews; the dates are asked afresh."""
    initial = {"platform": request.platform, "account": request.account, "audience": request.audience}
    choices = {"pupils": (request.pupils, PUPILS), "consent": (request.consent, CONSENT)}
    for block in form["blocks"]:
        block_id = block.get("block_id")
        if block_id in initial:
            block["element"]["initial_value"] = initial[block_id]
        elif block_id in choices:
            chosen, labels = choices[block_id]
            block["element"]["initial_option"] = option(chosen, labels[chosen])
    form["title"]["text"] = "Renew permission"
    form["private_metadata"] = str(request.id)  # what it renews
    return form


def deny_reason_form(request: AccessRequest) -> dict:
    return modal(ids.DENY_REASON_FORM, f"Decline {request.reference}", "Decline", [
        field(ids.DENY_REASON, "Why? The requester will see this.",
              text_input(multiline=True, limit=LIMITS["note"], placeholder="e.g. Please use the department account "
                                                                         "instead")),
    ], metadata=str(request.id))


def _details(request: AccessRequest) -> str:
    devices = "Trust / Academy devices only" if request.trust_devices_only else "not confirmed"
    return (f"*What for:* {escape(request.purpose)}\n"
            f"*Where:* {escape(request.platform)}, account {escape(request.account)}\n"
            f"*With:* {escape(request.audience)} ({PUPILS[request.pupils].lower()})\n"
            f"*Parental consent:* {CONSENT[request.consent]}\n"
            f"*Devices:* {devices}\n"
            f"*From* {long_date(request.starts_on)} *until* {long_date(request.ends_on)}")


def approver_message(request: AccessRequest, requester_name: str, decided_by_name: str | None = None,
                     decided_when: str | None = None) -> tuple[str, list[dict]]:
    """The approver's DM: the details and, while it waits, Approve / Deny."""
    kind = "social networking for work" if request.kind == "work_use" else "an online connection with a pupil " \
                                                                             "or family"
    text = f"{requester_name} asks for written permission to use {kind} ({request.reference})."
    blocks = [section(escape(text)), section(_details(request))]
    if request.status == "pending":
        blocks.append({"type": "actions", "block_id": f"decide_{request.id}", "elements": [
            button("Approve", ids.APPROVE_REQUEST, str(request.id), "primary"),
            button("Deny", ids.DENY_REQUEST, str(request.id), "danger"),
        ]})
        blocks.append(context("Your approval is the written permission section 5.3 asks for. "
                              "Only you, or an admin, can decide."))
    else:
        # An ended permission was approved by the decider; who ended it, and when, the ended notice says.
        outcome = "Approved" if request.status == "ended" else STATUS_WORDS[request.status].capitalize()
        who = f" by {escape(decided_by_name)}" if decided_by_name else ""
        when = f" on {decided_when}" if decided_when else ""
        line = f"*{outcome}*{who}{when}." + (" This permission has since *ended*." if request.status == "ended" else "")
        if request.status == "denied" and request.decision_note:
            line += f"\nReason: {escape(request.decision_note)}"
        blocks.append(section(line))
    return text, blocks


def passed_on(request: AccessRequest, requester_name: str, new_approver_name: str) -> tuple[str, list[dict]]:
    text = (f"{requester_name}'s request {request.reference} waited a while, so it has been passed to "
            f"{new_approver_name} to decide. There is nothing more for you to do.")
    return text, [section(escape(text)), section(_details(request))]


def receipt(request: AccessRequest, approver_name: str, delivered: bool) -> tuple[str, list[dict]]:
    if delivered:
        text = (f"Your request {request.reference} is saved and has been sent to {approver_name}. "
                "I'll let you know as soon as they decide.")
    else:
        text = (f"Your request {request.reference} is saved. I haven't been able to reach {approver_name} yet; "
                "I'll keep trying and tell you when it's through.")
    blocks = [section(escape(text)), section(_details(request))]
    if request.status == "pending":
        blocks.append({"type": "actions",
                       "elements": [button("Withdraw request", ids.WITHDRAW_REQUEST, str(request.id))]})
    return text, blocks


def reached_approver(request: AccessRequest, approver_name: str) -> tuple[str, list[dict]]:
    text = f"Your request {request.reference} has now reached {approver_name}."
    return text, [section(escape(text))]


def permission_message(request: AccessRequest, statement: str) -> tuple[str, list[dict]]:
    """The requester's copy of the written permission, with the way to end it early."""
    text = f"Approved: {request.reference} is your written permission."
    blocks = [section(f"*{escape(text)}*")]
    blocks += [section("```" + chunk + "```") for chunk in _chunks(statement, SECTION_TEXT_LIMIT - 6)]
    if request.status == "approved":
        blocks.append({"type": "actions", "elements": [
            button("End this permission now", ids.END_PERMISSION, str(request.id))]})
        blocks.append(context("Keep this message: it is your written record. `/request-access show "
                              f"{request.reference}` shows it again."))
    return text, blocks


def _chunks(text: str, limit: int) -> list[str]:
    """The text escaped, in whole lines packed into pieces Slack will show in full (one block holds 3,000
    characters; a long statement would otherwise be cut off). Lines are split only if one alone is too long."""
    lines = []
    for line in text.splitlines():
        step = len(line) if len(escape(line)) <= limit else limit // 5  # escaping grows a character at most 5 times
        lines += [escape(line[i:i + step]) for i in range(0, len(line), step)] if line else [""]
    pieces, current = [], None
    for line in lines:
        if current is not None and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = None
        current = line if current is None else f"{current}\n{line}"
    return pieces + ([current] if current is not None else [])


def denied_message(request: AccessRequest, decided_by_name: str) -> tuple[str, list[dict]]:
    text = f"Your request {request.reference} was not approved by {decided_by_name}."
    reason = f"\n*Their reason:* {escape(request.decision_note)}" if request.decision_note else ""
    return text, [section(escape(text) + reason), context(
        "Please don't use social networking for this. If anything is unclear, talk it through with them "
        "(section 5.7).")]


def simple_notice(text: str) -> tuple[str, list[dict]]:
    return text, [section(escape(text))]


def status_line(request: AccessRequest) -> str:
    return (f"*{request.reference}* · {escape(request.platform)} · {escape(request.audience[:80])} · "
            f"until {long_date(request.ends_on)} · _{STATUS_WORDS[request.status]}_")


def home_sections(mine: list[AccessRequest], waiting: list[AccessRequest], names: dict[str, str]) -> list[dict]:
    """The App Home's part for requests: a person's own, and those waiting for their decision."""
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "Permissions"}}]
    if waiting:
        blocks.append(section("*Waiting for your decision*"))
        for request in waiting:
            who = escape(names.get(request.requester_id, request.requester_id))
            blocks.append(section(f"{who}: {status_line(request)}"))
            blocks.append({"type": "actions", "elements": [
                button("Approve", ids.APPROVE_REQUEST, str(request.id), "primary"),
                button("Deny", ids.DENY_REQUEST, str(request.id), "danger")]})
    blocks.append(section("*Your requests*" if mine else
                          "You have no requests. Type `/request-access` to ask for written permission."))
    for request in mine:
        block = section(status_line(request))
        if request.status == "pending":
            block["accessory"] = button("Withdraw", ids.WITHDRAW_REQUEST, str(request.id))
        elif request.status == "approved":
            block["accessory"] = button("Show permission", ids.SHOW_PERMISSION, str(request.id))
        blocks.append(block)
    return blocks

