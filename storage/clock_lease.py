"""Which process is the clock: a lease held in the database, renewed on every tick.

Any number of processes may run a clock; only the holder of the lease acts.
If the holder dies, its lease runs out and another takes over.
"""

import datetime as dt

from storage.database import Database

NAME = "clock"


def hold(database: Database, holder: str, ttl: dt.timedelta) -> bool:
    """Take or renew the lease for `holder`; False while another process holds it."""
    now = dt.datetime.now(dt.UTC)
    expires = (now + ttl).isoformat(timespec="seconds")
    with database.transaction() as db:
        db.execute("INSERT OR IGNORE INTO clock_lease (name, holder, expires_at) VALUES (?, ?, ?)",
                   [NAME, holder, expires])
        changed = db.execute(
            "UPDATE clock_lease SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)",
            [holder, expires, NAME, holder, now.isoformat(timespec="seconds")]).rowcount
    return changed == 1


def release(database: Database, holder: str) -> None:
    with database.connect() as db:
        db.execute("DELETE FROM clock_lease WHERE name = ? AND holder = ?", [NAME, holder])
