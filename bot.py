"""Start the bot, or run one of its commands. Wiring only: the work happens in the modules it calls.

    python bot.py                 Socket Mode if SLACK_APP_TOKEN is set, else HTTP if
                                  SLACK_SIGNING_SECRET is set, else the local console
    python bot.py socket|http|console
    python bot.py ask "QUESTION"  the answer as text
    python bot.py ask --json      one question per stdin line, one JSON object per stdout line
    python bot.py directory check FILE
    python bot.py export permissions
    python bot.py export cases --admin SLACK_ID [--with-text]
    python bot.py outbox          what is waiting to be delivered, and why
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
    export.add_argument("register", choices=["permissions", "cases"])
    export.add_argument("--admin", metavar="SLACK_ID", help="cases: the admin asking (must hold the admin role)")
    export.add_argument("--with-text", action="store_true", help="cases: include what people wrote")
    commands.add_parser("outbox", help="list the notifications waiting to be delivered, and why")
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
    mode = args.command or settings.mode
    if mode == "console":
        from console.chat import run_console

        run_console(services, sys.stdin, sys.stdout)
    elif mode == "socket":
        if not settings.app_token:
            raise SystemExit("Socket Mode needs SLACK_APP_TOKEN (xapp-...): see README, 'Connect Slack'.")
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        import clock
        from slack_app import build_app

        app, delivery = build_app(services)
        clock.start_in_background(delivery)
        SocketModeHandler(app, settings.app_token).start()
    elif mode == "http":
        if not settings.signing_secret:
            raise SystemExit("HTTP mode needs SLACK_SIGNING_SECRET: see README, 'Connect Slack'.")
        import clock
        from http_server import make_http_server
        from slack_app import build_app

        app, delivery = build_app(services)
        clock.start_in_background(delivery)
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


def run_export(services, args) -> int:
    from workflows import exports

    directory = services.directory.current()
    if args.register == "permissions":
        exports.write_permissions(services.database, directory, sys.stdout)
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
