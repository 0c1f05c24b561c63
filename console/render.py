"""An answer as plain text, for the console and `python bot.py ask`."""

import textwrap

from knowledge.answers import Answer

WORKFLOW_HINTS = {
    "request-access": "In Slack, /request-access asks for written permission.",
    "report-harassment": "In Slack, /report-harassment reports it confidentially.",
    "record-contact": "In Slack, /report-harassment contact records it for your Head Teacher / Manager.",
}


def _wrap(text: str, indent: str = "") -> str:
    return "\n".join(textwrap.fill(line, width=78, initial_indent=indent, subsequent_indent=indent)
                     for line in text.splitlines())


def answer_as_text(answer: Answer) -> str:
    parts = [_wrap(answer.headline)]
    for section in answer.sections:
        parts.append(f"{section.reference}: {section.title}\n" + _wrap(section.text, indent="  > "))
    for section in answer.related:
        parts.append(_wrap(f"Also relevant: {section.reference}, {section.title}: {section.headline}"))
    if not answer.answered and answer.match.reason == "not_sure" and answer.match.ranked:
        parts.append("These parts of the protocol might be close: "
                     + ", ".join(f"section {sid}" for sid in answer.match.section_ids[:3]) + ".")
    next_step = answer.next_step + "".join(f" {WORKFLOW_HINTS[w]}" for w in answer.workflows)
    parts.append(_wrap(f"What to do next: {next_step}"))
    parts.append(_wrap(f"Who to ask: {answer.ask}. ({answer.version}.)"))
    return "\n\n".join(parts)
