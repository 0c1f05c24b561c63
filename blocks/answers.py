"""An answer to a staff question, as Slack blocks: the verdict first, then the quoted sections, then what to do next."""

from blocks import ids
from blocks.text import button, context, escape, quote, section
from knowledge.answers import Answer

WORKFLOW_HINTS = {
    "request-access": "To ask for written permission: `/request-access`.",
    "report-harassment": "To report it confidentially: `/report-harassment`.",
    "record-contact": "To record it: `/report-harassment contact`.",
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
    """The first reply, short enough for a phone: the verdict, the sentence it rests on, the next step."""
    blocks = [section(f"*{escape(answer.headline)}*")]
    if answer.sections:
        blocks.append(section(f"{quote(answer.key_sentence)}\n_{answer.sections[0].reference}_"))
    hints = [WORKFLOW_HINTS[w] for w in answer.workflows]
    if answer.next_step or hints:
        blocks.append(section(" ".join(["*What to do next:*", escape(answer.next_step), *hints])))
    buttons = [_workflow_button(answer, workflow) for workflow in answer.workflows]
    if answer.sections and question_id is not None:
        buttons.append(button("Show the policy text", ids.SHOW_POLICY_TEXT, str(question_id)))
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


def policy_text_blocks(answer: Answer) -> list[dict]:
    """Everything behind a short answer: each section it rests on, whole, and what else is relevant."""
    blocks = [section(f"*{quoted.reference}: {escape(quoted.title)}*\n{quote(quoted.text)}")
              for quoted in answer.sections]
    if answer.related:
        blocks.append(context("Also relevant: " + "; ".join(
            f"*{s.reference}*, {escape(s.title)}: {escape(s.headline)}" for s in answer.related)))
    return blocks or [section("There is no policy text behind that answer.")]


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
