"""Requests as Slack sends them: signed bodies for events, slash commands and button clicks.

Slack signs `v0:{timestamp}:{raw body}` with HMAC-SHA256 and the app's signing secret, and sends
`X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`.
"""

import hashlib
import hmac
import itertools
import json
import time
from urllib.parse import urlencode

from fake_slack import BOT_ID, BOT_USER_ID, TEAM_ID

STAFF_USER = "U0STAFF"
STAFF_DM = "D0STAFF"
STAFFROOM = "C0STAFFRM"
APP_ID = "A0POLICY"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_serial = itertools.count(1)


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to every request it sends."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def message_ts() -> str:
    """A fresh Slack message timestamp."""
    return f"{int(time.time())}.{next(_serial):06d}"


def event_callback(event: dict, event_id: str | None = None) -> str:
    """The Events API envelope around one event, as JSON."""
    return json.dumps({
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_serial):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    }, ensure_ascii=False)


def dm_message(text: str, user: str = STAFF_USER, channel: str = STAFF_DM, ts: str | None = None) -> dict:
    """Someone writing to the bot in its direct-message channel."""
    ts = ts or message_ts()
    return {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts,
            "channel_type": "im", "team": TEAM_ID, "client_msg_id": f"msg-{ts}"}


def app_mention(text: str, user: str = STAFF_USER, channel: str = STAFFROOM, ts: str | None = None,
                thread_ts: str | None = None) -> dict:
    """Someone @mentioning the bot in a channel."""
    ts = ts or message_ts()
    event = {"type": "app_mention", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts,
             "team": TEAM_ID, "client_msg_id": f"msg-{ts}"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def slash_command(command: str, text: str, response_url: str, user: str = STAFF_USER,
                  channel: str = STAFFROOM) -> str:
    """A slash command, form-encoded as Slack posts it."""
    return urlencode({
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "test-trust",
        "channel_id": channel,
        "channel_name": "staffroom",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_serial)}.{TEAM_ID}.trigger",
    })


def block_actions(button: dict, block_id: str, message: dict, response_url: str, user: str = STAFF_USER,
                  channel: str = STAFF_DM, is_ephemeral: bool = False) -> str:
    """A click on `button` (a button element from `message`'s blocks): a form with one JSON `payload` field."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": message.get("ts", ""), "channel_id": channel,
                      "is_ephemeral": is_ephemeral},
        "trigger_id": f"{next(_serial)}.{TEAM_ID}.trigger",
        "team": {"id": TEAM_ID, "domain": "test-trust"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "directmessage"},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [clicked(button, block_id)],
    }
    return urlencode({"payload": json.dumps(payload)})


def clicked(button: dict, block_id: str) -> dict:
    """A button as Slack reports it in a click."""
    return {"type": "button", "action_id": button["action_id"], "block_id": block_id, "text": button["text"],
            "value": button.get("value", ""), "action_ts": message_ts()}


def app_home_opened(user: str = STAFF_USER, channel: str = STAFF_DM) -> dict:
    """Someone opening the bot's Home tab."""
    return {"type": "app_home_opened", "user": user, "channel": channel, "tab": "home", "event_ts": message_ts()}


def home_block_actions(button: dict, block_id: str, view: dict, user: str = STAFF_USER) -> str:
    """A click on `button` in a published App Home `view`: no channel, no message and no response URL."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": view.get("id", "VHOME")},
        "trigger_id": f"{next(_serial)}.{TEAM_ID}.trigger",
        "team": {"id": TEAM_ID, "domain": "test-trust"},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": {"id": "VHOME", "team_id": TEAM_ID, "state": {"values": {}}, **view, "type": "home"},
        "actions": [clicked(button, block_id)],
    }
    return urlencode({"payload": json.dumps(payload)})


_UNSET = object()


def form_state(view: dict, answers: dict) -> dict:
    """`view.state.values` as Slack sends it when someone fills in the modal `view`.

    `answers` maps an input's block ID to what the person entered: text, an option's value (radio buttons),
    a list of option values (checkboxes), an ISO date or a date (date picker), a user ID (user select).
    Inputs not answered keep what the form started with, as in Slack. Answering an input the form does not
    have, or choosing an option it does not offer, fails the test.
    """
    values = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        answer = answers.get(block_id, _UNSET)
        kind = element["type"]
        state: dict = {"type": kind}
        if kind == "plain_text_input":
            state["value"] = element.get("initial_value") if answer is _UNSET else (answer or None)
        elif kind == "radio_buttons":
            chosen = (element.get("initial_option") or {}).get("value") if answer is _UNSET else answer
            state["selected_option"] = _offered(element, chosen) if chosen else None
        elif kind == "checkboxes":
            chosen = [o["value"] for o in element.get("initial_options", [])] if answer is _UNSET else answer
            state["selected_options"] = [_offered(element, value) for value in chosen]
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date") if answer is _UNSET else (
                str(answer) if answer else None)
        elif kind == "users_select":
            state["selected_user"] = element.get("initial_user") if answer is _UNSET else answer
        else:
            raise AssertionError(f"form_state does not know {kind} inputs yet")
        values[block_id] = {element["action_id"]: state}
    unknown = set(answers) - set(values)
    assert not unknown, f"the form has no inputs {sorted(unknown)}; it has {sorted(values)}"
    return values


def _offered(element: dict, value: str) -> dict:
    for option in element["options"]:
        if option["value"] == value:
            return option
    raise AssertionError(f"the form does not offer {value!r}: {[o['value'] for o in element['options']]}")


def view_submission(view: dict, values: dict, user: str = STAFF_USER) -> str:
    """A modal submitted: `view` as the bot opened it (with the ID Slack gave it), `values` its filled-in state
    (see form_state). A form with one JSON `payload` field, as Slack posts it."""
    view_id = view.get("id", "V0MODAL")
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "test-trust"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": f"{next(_serial)}.{TEAM_ID}.trigger",
        "view": {
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": values},
            "hash": f"{int(time.time())}.{next(_serial)}",
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urlencode({"payload": json.dumps(payload)})
