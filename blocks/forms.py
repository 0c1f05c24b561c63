"""Pieces of Slack modals: inputs whose action ID is their block ID, so a submission reads back by name."""

import datetime as dt


def modal(callback_id: str, title: str, submit: str, blocks: list[dict], metadata: str = "") -> dict:
    view = {"type": "modal", "callback_id": callback_id, "title": {"type": "plain_text", "text": title},
            "submit": {"type": "plain_text", "text": submit}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks}
    if metadata:
        view["private_metadata"] = metadata
    return view


def option(value: str, label: str, description: str = "") -> dict:
    """A choice; Slack allows 75 characters for its label and 75 for the description under it."""
    choice = {"text": {"type": "plain_text", "text": label}, "value": value}
    if description:
        choice["description"] = {"type": "plain_text", "text": description}
    return choice


def field(block_id: str, label: str, element: dict, hint: str | None = None, optional: bool = False) -> dict:
    block = {"type": "input", "block_id": block_id, "label": {"type": "plain_text", "text": label},
             "element": {**element, "action_id": block_id}, "optional": optional}
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def text_input(initial: str = "", multiline: bool = False, limit: int = 200, placeholder: str = "") -> dict:
    element = {"type": "plain_text_input", "multiline": multiline, "max_length": limit}
    if initial:
        element["initial_value"] = initial[:limit]
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    return element


def radios(choices: dict[str, str], initial: str | None = None) -> dict:
    element = {"type": "radio_buttons", "options": [option(v, label) for v, label in choices.items()]}
    if initial:
        element["initial_option"] = option(initial, choices[initial])
    return element


def value(values: dict, block_id: str):
    """What a submitted modal holds for one input, as Python: text, a choice, a list of choices, a date or a user."""
    element = values.get(block_id, {}).get(block_id, {})
    kind = element.get("type")
    if kind == "plain_text_input":
        return element.get("value") or ""
    if kind == "radio_buttons":
        return (element.get("selected_option") or {}).get("value") or ""
    if kind == "checkboxes":
        return [o["value"] for o in element.get("selected_options") or []]
    if kind == "datepicker":
        chosen = element.get("selected_date")
        return dt.date.fromisoformat(chosen) if chosen else None
    if kind == "users_select":
        return element.get("selected_user")
    return None
