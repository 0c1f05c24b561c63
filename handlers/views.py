"""Modal submissions."""

import datetime as dt

from slack_bolt import Ack, App
from slack_sdk import WebClient

from blocks import ids
from handlers.replies import publish_home
from services import Services
from slack_delivery import SlackDelivery
from workflows import access_requests


def _value(values: dict, block_id: str):
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
    return None


def request_form_from(view: dict) -> access_requests.RequestForm:
    values = view["state"]["values"]
    return access_requests.RequestForm(
        kind=_value(values, "kind"), purpose=_value(values, "purpose"), platform=_value(values, "platform"),
        account=_value(values, "account"), audience=_value(values, "audience"), pupils=_value(values, "pupils"),
        consent=_value(values, "consent"), trust_devices_only="yes" in (_value(values, "devices") or []),
        starts_on=_value(values, "starts_on"), ends_on=_value(values, "ends_on"))


def register(app: App, services: Services, delivery: SlackDelivery) -> None:
    @app.view(ids.REQUEST_FORM)
    def request_submitted(ack: Ack, body: dict, view: dict, client: WebClient):
        user_id = body["user"]["id"]
        outcome = access_requests.submit(services.database, services.directory.current(), user_id,
                                         request_form_from(view), services.today(), source=ids.REQUEST_FORM)
        if outcome.errors:
            ack(response_action="errors", errors=outcome.errors)
            return
        if not outcome.ok:
            ack(response_action="errors", errors={"kind": outcome.message})
            return
        ack()  # stored first; the approver and the receipt follow through the outbox
        delivery.deliver_due()
        publish_home(services, client, user_id)

    @app.view(ids.DENY_REASON_FORM)
    def denial_reason_submitted(ack: Ack, body: dict, view: dict):
        note = _value(view["state"]["values"], ids.DENY_REASON)
        outcome = access_requests.decide(services.database, services.directory.current(),
                                         int(view["private_metadata"]), body["user"]["id"], approve=False,
                                         note=note, source=ids.DENY_REASON_FORM)
        if outcome.errors:
            ack(response_action="errors", errors={ids.DENY_REASON: outcome.errors["note"]})
            return
        if not outcome.ok:
            ack(response_action="errors", errors={ids.DENY_REASON: outcome.message})
            return
        ack()
        delivery.refresh_approver_message(outcome.subject)
        delivery.deliver_due()
