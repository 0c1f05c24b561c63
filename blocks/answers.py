"""An answer to a staff question, as Slack blocks: the verdict first, then the quoted sections, then what to do next."""

from blocks import ids
from blocks.text import button, context, escape, quote, section
from knowledge.answers import Answer

WORKFLOW_HINTS = {
    "request-access": "To ask for written permission, use `/request-access` or the button below.",
    "report-harassment": "To report it confidentially, use `/report-harassment` or the button below.",
    "record-contact": "To record it for your Head Teacher / Manager, use `/report-harassment contact` or the "
                      "button below.",
}

FEEDBACK_THANKS = "Thank you for the feedback. It helps the policy owner improve these answers."

EXAMPLE_QUESTIONS = (
    "Can I accept a friend request from a parent?",
    "Can I add a Year 9 on Snapchat?",
    "A parent keeps messaging me on Instagram. What do I do?",
    "Can I moan about SLT on my private account?",
)


def answer_text(answer: Answer) -> str:
    """The line Slack shows in notifications and screen readers read first."""
    return escape(answer.headline)


def answer_blocks(answer: Answer, question_id: int | None = None, feedback_given: bool = False) -> list[dict]:
    blocks = [section(f"*{escape(answer.headline)}*")]
    for quoted in answer.sections:
        blocks.append(section(f"*{quoted.reference}: {escape(quoted.title)}*\n{quote(quoted.text)}"))
    if answer.related:
        blocks.append(context("Also relevant: " + "; ".join(
            f"*{s.reference}*, {escape(s.title)}: {escape(s.headline)}" for s in answer.related)))
    if not answer.answered and answer.match.reason == "not_sure" and answer.match.ranked:
        blocks.append(section("These parts of the protocol might be close: "
                              + ", ".join(f"section {sid}" for sid in answer.match.section_ids[:3]) + "."))
    next_step = f"*What to do next*\n{escape(answer.next_step)}"
    hints = [WORKFLOW_HINTS[w] for w in answer.workflows]
    if hints:
        next_step += "\n" + " ".join(hints)
    blocks.append(section(next_step))
    buttons = [_workflow_button(answer, workflow) for workflow in answer.workflows]
    if buttons:
        blocks.append({"type": "actions", "block_id": ids.ANSWER_WORKFLOWS, "elements": buttons})
    blocks.append(context(f"Who to ask: {escape(answer.ask)}  ·  {escape(answer.version)}"))
    if feedback_given:
        blocks.append(context(FEEDBACK_THANKS))
    elif question_id is not None:
        blocks.append({
            "type": "actions",
            "block_id": ids.FEEDBACK_BLOCK,
            "elements": [button("Helpful", ids.ANSWER_HELPFUL, str(question_id)),
                         button("Not helpful", ids.ANSWER_NOT_HELPFUL, str(question_id))],
        })
    return blocks


def _workflow_button(answer: Answer, workflow: str) -> dict:
    action_id, value, label = {
        "request-access": (ids.OPEN_REQUEST_FORM,
                           "pupil_connection" if answer.sections[0].id == "5.1" else "work_use",
                           "Ask for written permission"),
        "report-harassment": (ids.OPEN_REPORT_FORM, "report", "Report it confidentially"),
        "record-contact": (ids.OPEN_CONTACT_FORM, "contact", "Record the contact"),
    }[workflow]
    return button(label, action_id, value)


def help_blocks() -> list[dict]:
    examples = "\n".join(f"• {q}" for q in EXAMPLE_QUESTIONS)
    return [section("Ask me anything about the Trust's Social Networking Protocol, in your own words. "
                    f"For example:\n{examples}")]


def help_text() -> str:
    return "Ask me anything about the Trust's Social Networking Protocol, in your own words."
