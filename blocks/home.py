"""The App Home tab."""

import datetime as dt

from blocks.access_requests import home_sections as request_sections
from blocks.answers import EXAMPLE_QUESTIONS
from blocks.cases import home_sections as case_sections
from blocks.text import context, escape, section
from knowledge.protocol import Protocol
from workflows.access_requests import AccessRequest
from workflows.cases import Case


def home_view(protocol: Protocol, requests: list[AccessRequest], waiting: list[AccessRequest],
              reported: list[Case], handling: list[Case], names: dict[str, str], today: dt.date) -> dict:
    examples = "\n".join(f"• {q}" for q in EXAMPLE_QUESTIONS)
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Social Networking Protocol helper"}},
            section("Ask me whether something is allowed online, in your own words. I'll give you a straight "
                    "answer, the part of the protocol it comes from, and what to do next.\n\n"
                    "Send me a direct message in the *Messages* tab, mention me in a channel, or type "
                    f"`/policy` and your question anywhere. For example:\n{examples}"),
            section("*If you're being threatened, abused or harassed online*, type `/report-harassment`: it goes "
                    "privately to your Head Teacher / Manager straight away (sections 4.2 and 4.3). If a child may "
                    "be at risk, follow your academy's safeguarding procedure now too."),
            *case_sections(reported, handling, names),
            *request_sections(requests, waiting, names),
            context(escape(protocol.describe_version(today))),
        ],
    }
