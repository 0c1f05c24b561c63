"""Reading what the bot sent through the fake Slack, and clicking its buttons, as a person in Slack would."""

from urllib.parse import parse_qs

import signing
from fake_slack import RESPONSE_URL, block_texts, find_button


def dms(bot, user: str, count: int = 1, where=None) -> list:
    """The first `count` messages the bot has sent `user` (matching `where`), once they have arrived."""
    return bot.fake.wait_for("chat.postMessage", count=count,
                             where=lambda c: c.params.get("channel") == user and (where is None or where(c)))


def delivered(bot, user: str) -> list:
    """The messages that reached `user` so far."""
    return [c for c in bot.fake.calls("chat.postMessage") if c.params.get("channel") == user and c.ok]


def as_message(call) -> dict:
    """A message the bot posted, as Slack holds it (and hands back in a click)."""
    return {"type": "message", "ts": call.response["ts"], "text": call.params["text"], "blocks": call.params["blocks"]}


def words(call_or_message) -> str:
    """Everything a person reads in a message: its text and its blocks."""
    message = call_or_message.params if hasattr(call_or_message, "params") else call_or_message
    return "\n".join([message.get("text", ""), *block_texts(message.get("blocks") or [])])


def buttons(blocks: list[dict]) -> list[str]:
    """The action IDs of every button, in the blocks' elements and as their accessories."""
    return [element["action_id"] for block in blocks for element in block.get("elements", [])
            if element.get("type") == "button"] + [block["accessory"]["action_id"] for block in blocks
                                                   if block.get("accessory", {}).get("type") == "button"]


def click(bot, message: dict, action_id: str, user: str, response_id: str = "click", **kwargs) -> None:
    """Click a button on a message in `user`'s DM with the bot (or wherever `channel` says)."""
    block, button = find_button(message["blocks"], action_id)
    kwargs.setdefault("channel", f"D{user}")
    body = signing.block_actions(button, block.get("block_id", "generated"), message,
                                 bot.fake.response_url(response_id), user=user, **kwargs)
    status, _ = bot.post(body, signing.FORM)
    assert status == 200


def reply_to(bot, response_id: str) -> str:
    """What the bot said, privately, to whoever clicked (through the click's response URL)."""
    [call] = bot.fake.wait_for(RESPONSE_URL, where=lambda c: c.path == f"/response/{response_id}")
    assert call.params["response_type"] == "ephemeral" and call.params["replace_original"] is False
    return call.params["text"]


def type_command(bot, command: str, text: str, user: str, response_id: str = "command") -> tuple[int, str, str]:
    """Type `command text` in Slack; Slack's answer (status, body) and the trigger ID it sent."""
    body = signing.slash_command(command, text, bot.fake.response_url(response_id), user=user)
    status, reply = bot.post(body, signing.FORM)
    return status, reply, parse_qs(body)["trigger_id"][0]


def next_call(bot, method: str, before: int, **where):
    """The call to `method` after the first `before` ones (matching `where`), once it arrives."""
    return bot.fake.wait_for(method, count=before + 1, **where)[before]


def opened(call) -> dict:
    """The modal as Slack holds it: what the bot opened, with the ID Slack gave it."""
    return {**call.params["view"], "id": call.response["view"]["id"]}
