"""Slack listeners, grouped by what Slack sends. Each one: ack, read the payload, call the core, render."""

from slack_bolt import App

from handlers import actions, commands, events, middleware
from services import Services


def register_listeners(app: App, services: Services) -> None:
    middleware.register(app, services)
    commands.register(app, services)
    events.register(app, services)
    actions.register(app, services)
