"""Slack listeners, grouped by what Slack sends. Each one: ack, read the payload, call the core, render."""

from slack_bolt import App

from handlers import actions, commands, events, middleware, views
from services import Services
from slack_delivery import SlackDelivery


def register_listeners(app: App, services: Services, delivery: SlackDelivery) -> None:
    middleware.register(app, services)
    commands.register(app, services, delivery)
    events.register(app, services)
    actions.register(app, services, delivery)
    views.register(app, services, delivery)
