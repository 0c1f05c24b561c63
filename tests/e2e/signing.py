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

from fake_slack import BOT_USER_ID, TEAM_ID

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
        "actions": [{
            "type": "button",
            "action_id": button["action_id"],
            "block_id": block_id,
            "text": button["text"],
            "value": button.get("value", ""),
            "action_ts": message_ts(),
        }],
    }
    return urlencode({"payload": json.dumps(payload)})
