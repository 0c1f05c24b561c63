"""An answer as plain text, for the console and `python bot.py ask`.

The first reply is short enough for a phone screen: the verdict, the one sentence of the policy it
rests on, what to do next and who to ask. `more` gives the sections in full.
"""

import textwrap

from knowledge.answers import Answer

WIDTH = 78
WORKFLOW_HINTS = {
    "request-access": "To ask for written permission: /request-access.",
    "report-harassment": "To report it confidentially: /report-harassment.",
    "record-contact": "To record it: /report-harassment contact.",
}
MORE_HINT = "Type more for the policy text in full."


def _wrap(text: str, indent: str = "") -> str:
    return "\n".join(textwrap.fill(line, width=WIDTH, initial_indent=indent, subsequent_indent=indent)
                     for line in text.splitlines())


def _next_step(answer: Answer) -> str:
    return " ".join([answer.next_step, *(WORKFLOW_HINTS[w] for w in answer.workflows)]).strip()


def answer_as_text(answer: Answer) -> str:
    """The short answer: what a member of staff sees first."""
    parts = [_wrap(answer.headline)]
    if answer.sections:
        parts.append(_wrap(f"\u201c{answer.key_sentence}\u201d ({answer.sections[0].reference})", indent="  > "))
    if answer.next_step or answer.workflows:
        parts.append(_wrap(f"Next: {_next_step(answer)}"))
    parts.append(_wrap(f"Ask: {answer.ask}. {answer.version[0].upper()}{answer.version[1:]}."))
    return "\n".join(parts)


def answer_in_full(answer: Answer) -> str:
    """Everything behind the short answer: each section it rests on, whole, and what else is relevant."""
    parts = []
    for section in answer.sections:
        parts.append(f"{section.reference}: {section.title}\n" + _wrap(section.text, indent="  > "))
    for section in answer.related:
        parts.append(_wrap(f"Also relevant: {section.reference}, {section.title}: {section.headline}"))
    if not answer.answered and answer.match.reason == "not_sure" and answer.match.ranked:
        parts.append("These parts of the protocol might be close: "
                     + ", ".join(f"section {sid}" for sid in answer.match.section_ids[:3]) + ".")
    return "\n\n".join(parts) or "There is no policy text behind that answer."
