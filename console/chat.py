"""A local chat in the terminal, driving the same workflows as Slack."""

from typing import TextIO

from console.render import MORE_HINT, answer_as_text, answer_in_full
from services import Services
from workflows.questions import ask, conversation_key, give_feedback

CONSOLE_USER = "console"
CONVERSATION = conversation_key("console")
BANNER = """\
Social Networking Protocol helper: local console (no Slack connected).
Ask a question in your own words, e.g. "can I add a Year 9 on snap?".
After an answer, type more for the policy text in full, or y or n to say
whether it helped. Type quit to leave.

To connect Slack: copy .env.example to .env, add SLACK_BOT_TOKEN and either
SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP), then run
`make run` again. README.md walks you through creating the Slack app.
"""


def run_console(services: Services, stdin: TextIO, stdout: TextIO) -> None:
    print(BANNER, file=stdout)
    last_question_id = None
    last_answer = None
    while True:
        print("you> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            print(file=stdout)
            return
        text = line.strip()
        if not text:
            continue
        if text.lower() in ("quit", "exit", "bye"):
            print("bot> Bye for now.", file=stdout)
            return
        if text.lower() == "more":
            reply = answer_in_full(last_answer) if last_answer else "Ask me a question first."
            print("bot> " + reply.replace("\n", "\n     ") + "\n", file=stdout)
            continue
        if last_question_id is not None and text.lower() in ("y", "yes", "n", "no"):
            give_feedback(services.database, last_question_id, CONSOLE_USER, text.lower().startswith("y"))
            print("bot> Thank you. That helps the policy owner improve these answers.\n", file=stdout)
            last_question_id = None
            continue
        asked = ask(services.guide, services.database, text, source="console", conversation=CONVERSATION)
        last_question_id, last_answer = asked.id, asked.answer
        reply = answer_as_text(asked.answer).replace("\n", "\n     ")
        more = f"{MORE_HINT} " if asked.answer.sections else ""
        print(f"bot> {reply}\n\n     {more}Was this helpful? (y/n)\n", file=stdout)
