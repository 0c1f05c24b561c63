"""Shared by every test: one PolicyGuide per protocol, since building one (the model, ~5,000 examples, the
ridge fit) takes a second or two and the bot itself builds it once per process."""

import pytest

import services
from knowledge.answers import PolicyGuide

_guides: dict[str, PolicyGuide] = {}


@pytest.fixture(autouse=True)
def share_the_policy_guide(monkeypatch):
    def guide_for(protocol) -> PolicyGuide:
        key = repr(protocol)  # the whole protocol, so a test's edited copy gets a guide of its own
        if key not in _guides:
            _guides[key] = PolicyGuide(protocol)
        return _guides[key]

    monkeypatch.setattr(services, "PolicyGuide", guide_for)
