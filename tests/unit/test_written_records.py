"""Written records stay whole and true: long permissions are not cut off, exports do not run as formulas,
acknowledgements are only of versions staff were asked to read."""

import csv
import datetime as dt
import io

from blocks.access_requests import permission_message
from blocks.text import SECTION_TEXT_LIMIT
from workflows.access_requests import AccessRequest
from workflows.exports import _SafeWriter


def request(**changes) -> AccessRequest:
    values = dict(id=7, kind="work_use", requester_id="U1", approver_id="U2", purpose="PE", platform="Instagram",
                  account="@pe", audience="Y11", pupils="over_16", consent="not_needed", trust_devices_only=True,
                  starts_on=dt.date(2026, 11, 26), ends_on=dt.date(2027, 1, 31), status="approved", decided_by="U2",
                  decided_at="2026-11-26T10:00:00+00:00", decision_note=None, ended_by=None, ended_at=None,
                  created_at="2026-11-26T09:00:00+00:00")
    return AccessRequest(**(values | changes))


def test_a_long_permission_is_shown_in_full_across_blocks():
    statement = "\n".join([f"Purpose: {'&<>' * 330}", *[f"- condition {n} " + "x" * 200 for n in range(20)],
                           "From 26 November 2026 until 31 January 2027."])
    _, blocks = permission_message(request(), statement)
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(t) <= SECTION_TEXT_LIMIT for t in texts)
    shown = "".join(texts)
    assert "until 31 January 2027" in shown  # the end of the statement is not lost
    assert "&amp;&lt;&gt;" in shown and "&<>" not in shown.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")


def test_exported_text_that_looks_like_a_formula_is_marked_as_text():
    out = io.StringIO()
    writer = _SafeWriter(out, fieldnames=["purpose", "platform"], lineterminator="\n")
    writer.writeheader()
    writer.writerow({"purpose": "=HYPERLINK(\"http://evil\")", "platform": "Instagram"})
    writer.writerow({"purpose": "-1+2", "platform": "@school"})
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["purpose"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'-1+2"]
    assert [r["platform"] for r in rows] == ["Instagram", "'@school"]


def test_an_acknowledgement_is_only_recorded_for_a_version_someone_was_asked_about(database):
    from workflows import campaigns

    assert campaigns.acknowledge(database, "1999-01-01", "U1", source="test") is False
    assert campaigns.acknowledged(database, "1999-01-01") == {}


def test_an_approved_renewal_carries_the_permission_on_instead_of_it_lapsing(tmp_path):
    from pathlib import Path

    from config import Settings
    from services import build_services
    from workflows import access_requests
    from workflows.reminders import Planner
    from workflows.timekeeping import parse_instant

    (tmp_path / "staff.csv").write_text("slack_id,name,email,roles,academy,manager_slack_id\n"
                                        "U0HEAD,Hilda Head,h@x,staff;manager,Oak,\nU0TOM,Tom,t@x,staff,Oak,U0HEAD\n")
    settings = Settings(None, None, None, "https://x/", 3000, tmp_path / "bot.db", tmp_path / "staff.csv",
                        Path("knowledge/protocol.toml"), "Europe/London", 4.0)
    services = build_services(settings)
    directory = services.directory.current()
    today = dt.date(2026, 11, 26)

    def ask(ends_on: dt.date, renews_id=None):
        form = access_requests.RequestForm("work_use", "PE insta", "Instagram", "@pe", "Y11", "over_16",
                                           "not_needed", True, today, ends_on)
        return access_requests.submit(services.database, directory, "U0TOM", form, today, "test",
                                      renews_id=renews_id).subject

    first = ask(dt.date(2026, 12, 20))
    assert access_requests.decide(services.database, directory, first.id, "U0HEAD", approve=True).ok
    renewal = ask(dt.date(2027, 3, 31), renews_id=first.id)
    assert renewal.renews_id == first.id
    assert access_requests.decide(services.database, directory, renewal.id, "U0HEAD", approve=True).ok

    assert access_requests.get(services.database, first.id).status == "renewed"
    planner = Planner(services.database, directory, services.guide.protocol, settings.reminders,
                      "Europe/London", 4.0)
    done = planner.run(parse_instant("2027-01-05T10:00", "Europe/London"))
    assert not [line for line in done if first.reference in line]  # no lapse, no "confirm it is removed"
    assert [a["action"] for a in access_requests.history(services.database, first.id)][-1] == "renewed"
