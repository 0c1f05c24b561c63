"""Start the bot, or run one of its commands. Wiring only: the work happens in the modules it calls.

    python bot.py                 Socket Mode if SLACK_APP_TOKEN is set, else HTTP if
                                  SLACK_SIGNING_SECRET is set, else the local console
    python bot.py socket|http|console
    python bot.py ask "QUESTION"  the answer as text
    python bot.py ask --json      one question per stdin line, one JSON object per stdout line
    python bot.py directory check FILE
    python bot.py export permissions
    python bot.py export cases --admin SLACK_ID [--with-text]
    python bot.py export acknowledgements
    python bot.py outbox          what is waiting to be delivered, and why
    python bot.py clock           the one process that sends reminders
    python bot.py run-due --now 2026-12-01T09:00
    python bot.py campaign start --by SLACK_ID [--minor]
"""

import argparse
import json
import logging
import sys

from config import load_settings
from knowledge.protocol import ProtocolError

log = logging.getLogger("bot")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python bot.py", description="The Social Networking Protocol helper.")
    commands = parser.add_subparsers(dest="command")
    for mode in ("socket", "http", "console"):
        commands.add_parser(mode, help=f"run in {mode} mode")
    ask = commands.add_parser("ask", help="answer a question as a member of staff would see it")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--json", action="store_true", help="read questions from stdin, one per line; write JSON lines")
    directory = commands.add_parser("directory", help="work with the staff directory CSV")
    directory.add_argument("action", choices=["check"])
    directory.add_argument("file", help="the CSV to check before it is deployed")
    export = commands.add_parser("export", help="write a CSV register to stdout")
    export.add_argument("register", choices=["permissions", "cases", "acknowledgements"])
    export.add_argument("--admin", metavar="SLACK_ID", help="cases: the admin asking (must hold the admin role)")
    export.add_argument("--with-text", action="store_true", help="cases: include what people wrote")
    commands.add_parser("outbox", help="list the notifications waiting to be delivered, and why")
    commands.add_parser("clock", help="the one process that sends reminders (runs until stopped)")
    run_due = commands.add_parser("run-due", help="run everything due as of an instant, then exit")
    run_due.add_argument("--now", required=True, metavar="ISO-TIME", help="e.g. 2026-12-01T09:00 (Trust local time)")
    campaign = commands.add_parser("campaign", help="read-and-acknowledge campaigns")
    campaign.add_argument("action", choices=["start"])
    campaign.add_argument("--by", required=True, metavar="SLACK_ID", help="the admin or policy owner starting it")
    campaign.add_argument("--minor", action="store_true",
                          help="the change is not material: only ask those who have not acknowledged before")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    settings = load_settings()
    if args.command == "ask":
        return run_ask(settings, args)
    if args.command == "directory":
        return run_directory_check(args.file)
    from services import build_services

    services = build_services(settings)
    if args.command == "export":
        return run_export(services, args)
    if args.command == "outbox":
        return run_outbox(services)
    if args.command == "campaign":
        from workflows import campaigns

        outcome = campaigns.start(services.database, services.directory.current(),
                                  services.guide.protocol.version_id, args.by, material=not args.minor,
                                  source="command line")
        print(outcome.message)
        return 0 if outcome.ok else 1
    if args.command in ("clock", "run-due"):
        return run_clock(services, args)
    mode = args.command or settings.mode
    if mode == "console":
        from console.chat import run_console

        run_console(services, sys.stdin, sys.stdout)
    elif mode == "socket":
        if not settings.app_token:
            raise SystemExit("Socket Mode needs SLACK_APP_TOKEN (xapp-...): see README, 'Connect Slack'.")
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        from clock import Clock
        from slack_app import build_app

        app, delivery = build_app(services)
        Clock(delivery).start_in_background()
        SocketModeHandler(app, settings.app_token).start()
    elif mode == "http":
        if not settings.signing_secret:
            raise SystemExit("HTTP mode needs SLACK_SIGNING_SECRET: see README, 'Connect Slack'.")
        from clock import Clock
        from http_server import make_http_server
        from slack_app import build_app

        app, delivery = build_app(services)
        Clock(delivery).start_in_background()
        server = make_http_server(app, services)
        log.info("listening on port %s: POST /slack/events, GET /healthz", server.server_port)
        server.serve_forever()
    return 0


def run_directory_check(path: str) -> int:
    from workflows.directory import check_directory, read_directory

    directory = read_directory(path)
    problems = check_directory(directory)
    for problem in problems:
        print(problem)
    print(f"{path}: {len(directory.people)} people, {len(problems)} problem(s).")
    return 1 if problems else 0


def run_clock(services, args) -> int:
    from clock import Clock
    from slack_app import build_app
    from storage import clock_lease
    from workflows.timekeeping import parse_instant

    if args.command == "run-due":
        try:
            now = parse_instant(args.now, services.settings.timezone)
        except ValueError:
            print(f"--now must be a date and time such as 2026-12-01T09:00, not {args.now!r}.", file=sys.stderr)
            return 2
    _, delivery = build_app(services)
    clock = Clock(delivery)
    if args.command == "clock":
        log.info("clock: running; reminders are sent from this process")
        clock.run_forever()
        return 0
    try:
        done = clock.run_due(now)
    finally:
        # Give the clock back as this process exits: else the next run-due, or the clock process, finds it held
        # by a process that has gone and does nothing until the lease runs out.
        clock_lease.release(services.database, clock.holder)
    if done is None:
        print("Another process is running the clock; nothing was done.")
        return 1
    for line in done:
        print(line)
    print(f"{len(done)} thing(s) done as of {args.now}.")
    return 0


def run_export(services, args) -> int:
    from workflows import exports

    directory = services.directory.current()
    if args.register == "permissions":
        exports.write_permissions(services.database, directory, sys.stdout)
        return 0
    if args.register == "acknowledgements":
        exports.write_acknowledgements(services.database, directory, sys.stdout)
        return 0
    try:
        exports.write_cases(services.database, directory, args.admin or "", sys.stdout, with_text=args.with_text)
    except PermissionError:
        print("Cases are confidential: name an admin from the staff directory with --admin SLACK_ID.",
              file=sys.stderr)
        return 2
    return 0


def run_outbox(services) -> int:
    from workflows.outbox import waiting

    rows = waiting(services.database)
    for row in rows:
        why = f"failed {row['attempts']} time(s): {row['last_error']}" if row["attempts"] else "not tried yet"
        print(f"#{row['id']} {row['kind']} for {row['recipient_id']} about {row['subject']}: {why}; "
              f"next try {row['next_attempt_at']}")
    print(f"{len(rows)} notification(s) waiting.")
    return 0


def run_ask(settings, args) -> int:
    from console.render import answer_as_text
    from knowledge.answers import PolicyGuide

    guide = PolicyGuide.from_file(settings.protocol_file)
    if args.json:
        if args.question:
            print("ask --json reads questions from stdin, one per line; leave out the question.", file=sys.stderr)
            return 2
        for line in sys.stdin:
            question = line.strip()
            if question:
                print(json.dumps(guide.answer(question).as_json(), ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question).strip()
    if not question:
        print('Ask a question, e.g. python bot.py ask "can I add a Year 9 on snap?"', file=sys.stderr)
        return 2
    print(answer_as_text(guide.answer(question)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ProtocolError as error:
        sys.exit(f"The protocol file has a problem, so the bot cannot start.\n{error}")
