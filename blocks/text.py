"""Getting text safely into Slack messages (escaped on its way out, decoded on its way in), and the small
blocks every message is made of."""

SECTION_TEXT_LIMIT = 3000  # Slack's limit for a section block's text


def escape(text: str) -> str:
    """Slack's three control characters, so "<!channel>" or "<@U123>" typed by someone never pings anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What someone typed, from the text Slack sends: it encodes their &, < and > as &amp;, &lt; and &gt;."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def quote(text: str) -> str:
    return "\n".join(f">{line}" if line.strip() else ">" for line in escape(text).splitlines())


def clip(text: str, limit: int = SECTION_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(mrkdwn: str, block_id: str | None = None) -> dict:
    block = {"type": "section", "text": {"type": "mrkdwn", "text": clip(mrkdwn)}}
    if block_id:
        block["block_id"] = block_id
    return block


def context(mrkdwn: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(mrkdwn)}]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    element = {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element
