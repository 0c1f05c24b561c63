"""/report-harassment in Slack: the two forms, the handler's message, and what the reporter is told."""

from blocks import ids
from blocks.forms import field, modal, option, radios, text_input
from blocks.text import button, context, escape, section
from workflows.cases import CONTACT_SOURCES, LIMITS, SOURCES, STATUS_WORDS, WHY, Case

SAFEGUARDING_REMINDER = ("If a child may be at risk, follow your academy's safeguarding procedure now as well: "
                         "speak to your Designated Safeguarding Lead straight away.")
EVIDENCE_GUIDANCE = ("Screenshot it first, keep the links and the times, and don't reply or engage. "
                     "Describe the evidence here; keep the screenshots safe.")


def report_form(what_happened: str = "") -> dict:
    return modal(ids.REPORT_FORM, "Report online abuse", "Send report", [
        section("This goes privately to your Head Teacher / Manager, who should act on it straight away "
                "(sections 4.2 and 4.3). If it is about them, it goes to the person above them and to HR "
                "instead. The person it is about never sees it."),
        field("what_happened", "What happened?", text_input(what_happened, multiline=True,
                                                           limit=LIMITS["what_happened"])),
        field("source", "Who did it come from?", radios(SOURCES)),
        field("about", "If it's someone in the Trust, who?", {"type": "users_select"}, optional=True,
              hint="They will not be told, and will never see this report."),
        field("platform", "Which site or app?", text_input(limit=LIMITS["platform"], placeholder="e.g. Facebook")),
        field("happened_when", "When?", text_input(limit=LIMITS["happened_when"],
                                                   placeholder="e.g. last night about 9pm"), optional=True),
        field("evidence", "Links and evidence", text_input(multiline=True, limit=LIMITS["evidence"]),
              hint=EVIDENCE_GUIDANCE, optional=True),
        field("ongoing", "Is it still happening?", radios({"yes": "Yes", "no": "No"}), optional=True),
        field("safeguarding", "Pupils", {"type": "checkboxes", "options": [
            option("pupil_involved", "A pupil is involved"), option("child_at_risk", "A child may be at risk")]},
              optional=True, hint="Your academy's safeguarding lead is told as well."),
        context("Slack knows who sends a report, so it is confidential but not anonymous."),
    ])


def contact_form(what_happened: str = "") -> dict:
    return modal(ids.CONTACT_FORM, "Record online contact", "Record it", [
        section("When a pupil or parent tries to contact you online, or you come across each other by chance, "
                "the protocol asks you to record it and talk it through with your Head Teacher or line manager "
                "(section 5.2). This goes to them privately."),
        field("what_happened", "What happened?", text_input(what_happened, multiline=True,
                                                           limit=LIMITS["what_happened"])),
        field("source", "Who was it?", radios(CONTACT_SOURCES)),
        field("platform", "Which site or app?", text_input(limit=LIMITS["platform"], placeholder="e.g. Instagram")),
        field("action_taken", "What did you do?", text_input(multiline=True, limit=LIMITS["action_taken"]),
              hint="Don't share or ask for personal information (section 5.2)."),
        field("safeguarding", "Pupils", {"type": "checkboxes", "options": [
            option("child_at_risk", "A child may be at risk")]}, optional=True,
              hint="Your academy's safeguarding lead is told as well."),
    ])


def note_form(case: Case) -> dict:
    return modal(ids.CASE_NOTE_FORM, f"Note on {case.reference}", "Add note",
                  [field(ids.CASE_NOTE, "Note (only the people handling this case see it)",
                         text_input(multiline=True, limit=LIMITS["note"]))], metadata=str(case.id))


def close_form(case: Case) -> dict:
    return modal(ids.CASE_CLOSE_FORM, f"Close {case.reference}", "Close case",
                  [field(ids.CASE_OUTCOME, "Outcome (the reporter will see this)",
                         text_input(multiline=True, limit=LIMITS["outcome"]))], metadata=str(case.id))


def _details(case: Case, about_name: str | None) -> str:
    choices = SOURCES if case.kind == "harassment" else CONTACT_SOURCES
    lines = [f"*What happened:* {escape(case.what_happened)}",
             f"*From:* {choices.get(case.source, case.source)}" + (f" ({escape(about_name)})" if about_name else ""),
             f"*Where:* {escape(case.platform)}"]
    if case.happened_when:
        lines.append(f"*When:* {escape(case.happened_when)}")
    if case.evidence:
        lines.append(f"*Evidence:* {escape(case.evidence)}")
    if case.action_taken:
        lines.append(f"*What they did:* {escape(case.action_taken)}")
    if case.kind == "harassment":
        lines.append(f"*Still happening:* {'yes' if case.ongoing else 'no'}")
    if case.safeguarding:
        flags = [text for flag, text in ((case.pupil_involved, "a pupil is involved"),
                                         (case.child_at_risk, "a child may be at risk")) if flag]
        lines.append(f"*Safeguarding:* {', '.join(flags)}")
    return "\n".join(lines)


def handler_message(case: Case, reporter_name: str, about_name: str | None, why: str,
                    status_line: str) -> tuple[str, list[dict]]:
    kind = "a report of online threats, abuse or harassment" if case.kind == "harassment" else \
        "a record of online contact from a pupil or parent"
    text = f"Confidential: {reporter_name} has sent {kind} ({case.reference})."
    blocks = [section(f"*{escape(text)}*"), section(_details(case, about_name)),
              context(f"You have this as {escape(WHY.get(why, why))}. Please keep it to the people handling it.")]
    if case.kind == "harassment":
        blocks.insert(2, context("The protocol asks for this to be reported immediately (sections 4.2, 4.3): "
                                 "please acknowledge it as soon as you can, so it isn't escalated."))
    if case.safeguarding:
        blocks.append(section(SAFEGUARDING_REMINDER))
    blocks.append(section(status_line))
    if case.status != "closed":
        buttons = [button("Add note", ids.ADD_CASE_NOTE, str(case.id)),
                   button("Close with outcome", ids.CLOSE_CASE, str(case.id))]
        if case.status == "open":
            buttons.insert(0, button("Acknowledge", ids.ACKNOWLEDGE_CASE, str(case.id), "primary"))
        blocks.append({"type": "actions", "block_id": f"case_{case.id}", "elements": buttons})
    return text, blocks


def receipt(case: Case, handlers: list[tuple[str, str]], not_reached: list[str] | None = None
            ) -> tuple[str, list[dict]]:
    """handlers: (name, why) of everyone it went to; not_reached: the names of those Slack has not yet taken it to."""
    if handlers:
        went_to = "; ".join(f"{name} ({WHY.get(why, why)})" for name, why in handlers)
        going = "is going" if not_reached else "has gone"
        text = f"Thank you. Your report {case.reference} is saved and {going} privately to: {went_to}."
        next_steps = ("They should pick it up straight away, and I'll tell you when they do. If nobody does within "
                      "a few hours, I'll pass it to the next person up.")
    else:
        text = (f"Your report {case.reference} is saved, but I couldn't find anyone in the staff directory to send "
                "it to. I've kept it open. Please tell your Head Teacher / Manager directly now.")
        next_steps = "Please also let your IT lead know that the staff directory needs fixing."
    blocks = [section(escape(text)), section(next_steps)]
    if not_reached:
        blocks.insert(1, section(escape(f"It hasn't reached {'; '.join(not_reached)} yet: Slack didn't take it. I'll "
                                        "keep trying and tell you as soon as it has. If it can't wait, tell them "
                                        "directly now.")))
    if case.kind == "harassment":
        blocks.append(context(EVIDENCE_GUIDANCE))
    if case.safeguarding:
        blocks.append(section(f"*{SAFEGUARDING_REMINDER}*"))
    return text, blocks


def notice(text: str) -> tuple[str, list[dict]]:
    return text, [section(escape(text))]  # the text is escaped on its way out, with every message's


def home_sections(mine: list[Case], handling: list[Case], names: dict[str, str]) -> list[dict]:
    if not mine and not handling:
        return []
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "Reports"}}]
    for case in handling:
        who = escape(names.get(case.reporter_id, case.reporter_id))
        block = section(f"*{case.reference}* from {who} · {escape(case.platform)} · _{STATUS_WORDS[case.status]}_")
        if case.status == "open":
            block["accessory"] = button("Acknowledge", ids.ACKNOWLEDGE_CASE, str(case.id), "primary")
        blocks.append(block)
    for case in mine:
        blocks.append(section(f"Your report *{case.reference}* · {escape(case.platform)} · "
                              f"_{STATUS_WORDS[case.status]}_"))
    return blocks


