"""What happened when someone tried to act on a request or a case."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    """`ok` False means nothing changed; `message` says why, kindly, to the person who acted."""

    ok: bool
    message: str
    subject: Any = None  # the request or case as it now stands
    errors: dict[str, str] | None = None  # field -> what to fix, for a form
