"""Slack's documented Block Kit limits, checked on everything the bot sends to the fake Slack.

Real Slack refuses a view or message that breaks them (`invalid_arguments`, `invalid_blocks`); a fake that
accepted them would hide the bug until a school tried the bot. Where slack_sdk's models check a limit
(`Option`, `ButtonElement`), their own validation is used.
"""

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import ButtonElement, Option

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
CONTEXT_TEXT = 2000
HEADER_TEXT = 150
MODAL_TITLE = 24  # title, submit and close alike
CHOICE_OPTIONS = 10  # radio buttons and checkboxes
PLAIN_TEXT_LABEL = 2000
HINT = 2000
PLACEHOLDER = 150
BUTTON_VALUE = 2000
ACTION_ELEMENTS = 25
PRIVATE_METADATA = 3000
TEXT = 40000  # chat.postMessage's top-level text


def breaches(method: str, params: dict) -> list[str]:
    """Every limit a call's view or message breaks, as sentences naming the place."""
    found: list[str] = []
    if method in ("views.open", "views.update", "views.publish", "views.push"):
        view = params.get("view") or {}
        blocks = view.get("blocks") or []
        if len(blocks) > VIEW_BLOCKS:
            found.append(f"{len(blocks)} blocks in a view (limit {VIEW_BLOCKS})")
        for name in ("title", "submit", "close"):
            text = (view.get(name) or {}).get("text", "")
            if len(text) > MODAL_TITLE:
                found.append(f"view {name} of {len(text)} characters (limit {MODAL_TITLE}): {text!r}")
        if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
            found.append("private_metadata over 3,000 characters")
        found += _blocks(blocks)
    elif "blocks" in params or "text" in params:
        blocks = params.get("blocks") or []
        if len(blocks) > MESSAGE_BLOCKS:
            found.append(f"{len(blocks)} blocks in a message (limit {MESSAGE_BLOCKS})")
        if len(params.get("text") or "") > TEXT:
            found.append("message text over 40,000 characters")
        found += _blocks(blocks)
    return [f"{method}: {b}" for b in found]


def _blocks(blocks: list[dict]) -> list[str]:
    found = []
    block_ids = [b["block_id"] for b in blocks if b.get("block_id")]
    found += [f"duplicate block_id {i!r}" for i in sorted({i for i in block_ids if block_ids.count(i) > 1})]
    for index, block in enumerate(blocks):
        where = f"block {index} ({block.get('type')})"
        kind = block.get("type")
        if kind == "section":
            found += _text(block.get("text"), SECTION_TEXT, where)
            for field in block.get("fields") or []:
                found += _text(field, 2000, where + " field")
            if block.get("accessory"):
                found += _element(block["accessory"], where)
        elif kind == "context":
            for element in block.get("elements") or []:
                found += _text(element, CONTEXT_TEXT, where)
        elif kind == "header":
            found += _text(block.get("text"), HEADER_TEXT, where)
        elif kind == "input":
            found += _text(block.get("label"), PLAIN_TEXT_LABEL, where + " label")
            found += _text(block.get("hint"), HINT, where + " hint")
            found += _element(block.get("element") or {}, where)
        elif kind == "actions":
            elements = block.get("elements") or []
            if len(elements) > ACTION_ELEMENTS:
                found.append(f"{where}: {len(elements)} elements (limit {ACTION_ELEMENTS})")
            action_ids = [e.get("action_id") for e in elements if e.get("action_id")]
            found += [f"{where}: duplicate action_id {a!r}" for a in sorted({a for a in action_ids
                                                                             if action_ids.count(a) > 1})]
            for element in elements:
                found += _element(element, where)
    return found


def _text(obj: dict | None, limit: int, where: str) -> list[str]:
    text = (obj or {}).get("text", "")
    return [f"{where}: text of {len(text)} characters (limit {limit})"] if len(text) > limit else []


def _element(element: dict, where: str) -> list[str]:
    found = []
    kind = element.get("type")
    try:
        if kind == "button":
            ButtonElement(**element).validate_json()
        for option in element.get("options") or []:
            Option(**option).validate_json()
    except (SlackObjectFormationError, TypeError) as error:
        found.append(f"{where}: {kind} refused by slack_sdk: {error}")
    if kind in ("radio_buttons", "checkboxes") and len(element.get("options") or []) > CHOICE_OPTIONS:
        found.append(f"{where}: {len(element['options'])} options (limit {CHOICE_OPTIONS})")
    found += _text(element.get("placeholder"), PLACEHOLDER, where + " placeholder")
    return found
