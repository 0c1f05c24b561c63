"""Modal submissions."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from blocks import ids
from blocks.forms import value
from handlers.replies import publish_home
from services import Services
from slack_delivery import SlackDelivery
from workflows import access_requests, cases


def request_form_from(view: dict) -> access_requests.RequestForm:
    values = view["state"]["values"]
    return access_requests.RequestForm(
        kind=value(values, "kind"), purpose=value(values, "purpose"), platform=value(values, "platform"),
        account=value(values, "account"), audience=value(values, "audience"), pupils=value(values, "pupils"),
        consent=value(values, "consent"), trust_devices_only="yes" in (value(values, "devices") or []),
        starts_on=value(values, "starts_on"), ends_on=value(values, "ends_on"))


def report_form_from(view: dict, kind: str) -> cases.ReportForm:
    values = view["state"]["values"]
    flags = value(values, "safeguarding") or []
    return cases.ReportForm(
        kind=kind, what_happened=value(values, "what_happened"), source=value(values, "source"),
        about_id=value(values, "about"), platform=value(values, "platform"),
        happened_when=value(values, "happened_when") or "", evidence=value(values, "evidence") or "",
        action_taken=value(values, "action_taken") or "", ongoing=value(values, "ongoing") == "yes",
        pupil_involved="pupil_involved" in flags, child_at_risk="child_at_risk" in flags)


def register(app: App, services: Services, delivery: SlackDelivery) -> None:
    @app.view(ids.REQUEST_FORM)
    def request_submitted(ack: Ack, body: dict, view: dict, client: WebClient):
        user_id = body["user"]["id"]
        renews = view.get("private_metadata") or ""
        outcome = access_requests.submit(services.database, services.directory.current(), user_id,
                                         request_form_from(view), services.today(), source=ids.REQUEST_FORM,
                                         renews_id=int(renews) if renews.isdigit() else None)
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
        note = value(view["state"]["values"], ids.DENY_REASON)
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

    def report_submitted(kind: str, ack: Ack, body: dict, view: dict, client: WebClient):
        user_id = body["user"]["id"]
        outcome = cases.submit(services.database, services.directory.current(), user_id,
                               report_form_from(view, kind), source=view["callback_id"])
        if not outcome.ok:
            ack(response_action="errors", errors=outcome.errors or {"what_happened": outcome.message})
            return
        ack()  # stored first; the handlers and the receipt follow through the outbox
        delivery.deliver_due()
        publish_home(services, client, user_id)

    @app.view(ids.REPORT_FORM)
    def harassment_reported(ack: Ack, body: dict, view: dict, client: WebClient):
        report_submitted("harassment", ack, body, view, client)

    @app.view(ids.CONTACT_FORM)
    def contact_recorded(ack: Ack, body: dict, view: dict, client: WebClient):
        report_submitted("contact", ack, body, view, client)

    @app.view(ids.CASE_NOTE_FORM)
    def case_note_submitted(ack: Ack, body: dict, view: dict):
        outcome = cases.add_note(services.database, services.directory.current(), int(view["private_metadata"]),
                                 body["user"]["id"], value(view["state"]["values"], ids.CASE_NOTE),
                                 source=ids.CASE_NOTE_FORM)
        if not outcome.ok:
            ack(response_action="errors", errors={ids.CASE_NOTE: (outcome.errors or {}).get("note", outcome.message)})
            return
        ack()

    @app.view(ids.CASE_CLOSE_FORM)
    def case_close_submitted(ack: Ack, body: dict, view: dict):
        outcome = cases.close(services.database, services.directory.current(), int(view["private_metadata"]),
                              body["user"]["id"], value(view["state"]["values"], ids.CASE_OUTCOME),
                              source=ids.CASE_CLOSE_FORM)
        if not outcome.ok:
            ack(response_action="errors",
                errors={ids.CASE_OUTCOME: (outcome.errors or {}).get("outcome", outcome.message)})
            return
        ack()
        delivery.refresh_case_messages(outcome.subject)
        delivery.deliver_due()
