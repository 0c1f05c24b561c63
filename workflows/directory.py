"""The staff directory: who people are, what roles they hold, and who manages whom.

Read from the CSV of CONTRACT.md (`slack_id,name,email,roles,academy,manager_slack_id`).
A bad row is reported by its line and skipped; it never stops the bot.
"""

import csv
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

HEADER = ["slack_id", "name", "email", "roles", "academy", "manager_slack_id"]
ROLES = frozenset({"staff", "manager", "safeguarding_lead", "hr", "policy_owner", "admin"})


@dataclass(frozen=True)
class Person:
    slack_id: str
    name: str
    email: str
    roles: frozenset[str]
    academy: str
    manager_id: str | None

    def has(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Directory:
    people: dict[str, Person] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # "line 4: ...", one per row skipped or link that goes nowhere

    def get(self, slack_id: str | None) -> Person | None:
        return self.people.get(slack_id or "")

    def manager_of(self, person: Person) -> Person | None:
        return self.get(person.manager_id)

    def with_role(self, role: str, academy: str | None = None) -> list[Person]:
        return [p for p in self.people.values() if p.has(role) and (academy is None or p.academy == academy)]

    def approvers_for(self, person: Person) -> list[Person]:
        """Who decides for this person: their manager; at the top of the trust (no manager), HR."""
        manager = self.manager_of(person)
        if manager and manager.slack_id != person.slack_id:  # nobody approves their own requests
            return [manager]
        return [p for p in self.with_role("hr") if p.slack_id != person.slack_id]

    def chain_above(self, person: Person) -> list[Person]:
        """Their manager, that manager's manager, and so on up (stopping at a loop)."""
        chain, seen, current = [], {person.slack_id}, person
        while (manager := self.manager_of(current)) and manager.slack_id not in seen:
            chain.append(manager)
            seen.add(manager.slack_id)
            current = manager
        return chain


def read_directory(path: str | Path) -> Directory:
    path = Path(path)
    if not path.exists():
        return Directory(problems=("no staff directory file yet: questions work, but requests and reports need one "
                                   "(README.md, 'The staff directory')",))
    people: dict[str, Person] = {}
    problems: list[str] = []
    # errors="replace": a file saved from Excel as plain "CSV" (not UTF-8) must cost the rows it spoils, not the bot.
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = csv.reader(f)
        try:
            header = [h.strip() for h in next(reader, [])]
        except csv.Error as error:
            return Directory(problems=(f"line 1: cannot be read ({error})",))
        if header != HEADER:
            return Directory(problems=(f"line 1: the header must be {','.join(HEADER)}",))
        while True:
            try:
                row = next(reader, None)
            except csv.Error as error:
                problems.append(f"line {reader.line_num}: cannot be read ({error}); it and the rest of the file "
                                "skipped")
                break
            if row is None:
                break
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if any("\ufffd" in cell for cell in row):
                problems.append(f"line {line}: has characters that are not UTF-8; save the file as "
                                "\"CSV UTF-8\"; row skipped")
                continue
            if len(row) != len(HEADER):
                problems.append(f"line {line}: expected {len(HEADER)} columns, found {len(row)}; row skipped")
                continue
            slack_id, name, email, roles, academy, manager_id = (cell.strip() for cell in row)
            role_set = frozenset(r.strip() for r in roles.split(";") if r.strip())
            unknown = sorted(role_set - ROLES)
            if not slack_id or not name:
                problems.append(f"line {line}: slack_id and name are required; row skipped")
            elif slack_id in people:
                problems.append(f"line {line}: {slack_id} appears twice; this row skipped")
            elif unknown:
                problems.append(f"line {line}: unknown role {', '.join(unknown)} "
                                f"(use {', '.join(sorted(ROLES))}); row skipped")
            else:
                people[slack_id] = Person(slack_id, name, email, role_set or frozenset({"staff"}), academy,
                                          manager_id or None)
    return Directory(people, tuple(problems))


def check_directory(directory: Directory) -> list[str]:
    """Everything wrong with a directory: bad rows, unknown managers, loops, people nobody can act for."""
    problems = list(directory.problems)
    has_hr = bool(directory.with_role("hr"))
    for person in directory.people.values():
        if person.manager_id and person.manager_id not in directory.people:
            problems.append(f"{person.slack_id} ({person.name}): manager {person.manager_id} is not in the directory")
        if person.manager_id == person.slack_id:
            problems.append(f"{person.slack_id} ({person.name}): is their own manager")
        elif _in_a_loop(directory, person):
            problems.append(f"{person.slack_id} ({person.name}): the chain of managers goes round in a loop")
        if not directory.approvers_for(person):
            problems.append(f"{person.slack_id} ({person.name}): has no manager and there is nobody with the hr role "
                            "to route their requests and reports to")
    if not has_hr:
        problems.append("nobody has the hr role: requests and reports from the top of the trust have nowhere to go")
    if not directory.with_role("admin"):
        problems.append("nobody has the admin role")
    return problems


def _in_a_loop(directory: Directory, person: Person) -> bool:
    seen, current = {person.slack_id}, person
    while (manager := directory.manager_of(current)) is not None:
        if manager.slack_id in seen:
            return True
        seen.add(manager.slack_id)
        current = manager
    return False


_NOT_READ = object()


class DirectoryFile:
    """The directory at a path, read again whenever the file changes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._stamp: object = _NOT_READ  # read first time, even when there is no file
        self._directory = Directory()

    def current(self) -> Directory:
        try:
            stat = os.stat(self.path)
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self._directory = read_directory(self.path)
            self._stamp = stamp
            for problem in self._directory.problems:
                log.warning("staff directory %s: %s", self.path, problem)
            log.info("staff directory %s: %d people", self.path, len(self._directory.people))
        return self._directory
