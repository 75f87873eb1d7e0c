"""`claw`: the laptop's command-line door to the person's services.

Runs inside the sandbox with the system python3 and the standard library only
(the env's own packages are not visible there). Commands and their options are
generated from the endpoint schemas the env writes next to this file, so every
endpoint of every service is reachable:

    claw --help                          services
    claw mail --help                     endpoints of a service
    claw mail list --unread-only         options are the endpoint's arguments
    claw mail get m0003                  required arguments may also be positional
    claw calendar add "Dentist" "2026-03-02 10:00" "2026-03-02 11:00"
    claw api bank.transactions --json '{"query": "rent"}'

Each call travels over a Unix socket to the env, which runs it through the same
validated, audited door as API actions. Exit status: 0 ok, 1 refused by the
service, 2 usage error, 3 cannot reach the env, 75 (EX_TEMPFAIL) a transient service
fault ("error: [fault 429] ..."): nothing changed, running the command again may succeed.
"""

import argparse
import json
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

EX_TEMPFAIL = 75  # sysexits.h: a temporary failure, the caller may retry
HERE = os.path.dirname(os.path.abspath(__file__))
SOCKET = os.environ.get("CLAW_SOCKET", os.path.join(HERE, "claw.sock"))
SCHEMA = os.environ.get("CLAW_SCHEMA", os.path.join(HERE, "schema.json"))
# Friendly verbs: tried in order when the word is not an endpoint name.
ALIASES = {
    "add": ("create", "create_event", "add_task"),
    "new": ("create", "create_event", "add_task"),
    "ls": ("list", "list_events", "list_deals"),
    "list": ("list_events", "list_deals"),
    "show": ("get", "get_deal"),
    "rm": ("delete", "delete_event"),
    "delete": ("delete_event",),
    "update": ("update_event", "update_task", "update_deal"),
    "edit": ("update", "update_event", "update_task"),
    "done": ("complete",),
    "find": ("search",),
}


def die(msg, code=2):
    sys.stderr.write(f"claw: {msg}\n")
    sys.exit(code)


def load_schema():
    try:
        with open(SCHEMA, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as exc:
        die(f"cannot read the service list ({exc})", 3)


def request(call, args):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(SOCKET)
        s.sendall(json.dumps({"call": call, "args": args}, ensure_ascii=False).encode("utf-8") + b"\n")
        chunks = []
        while True:
            data = s.recv(1 << 16)
            if not data:
                break
            chunks.append(data)
    except OSError as exc:
        die(f"cannot reach the services ({exc})", 3)
    finally:
        s.close()
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except ValueError:
        die("bad answer from the services", 3)


def show(reply):
    if not reply.get("ok"):
        sys.stderr.write(f"error: {reply.get('error')}\n")
        sys.exit(EX_TEMPFAIL if reply.get("transient") else 1)
    result = reply.get("result")
    if isinstance(result, str):
        print(result)
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False))


def top_help(schema):
    lines = [
        "usage: claw <service> <command> [arguments]   (claw <service> --help for its commands)",
        "       claw api <service.endpoint> [--json '{...}']",
        "",
        "services:",
    ]
    for name, svc in schema["services"].items():
        lines.append(f"  {name:<10} {svc['title']}: {', '.join(svc['endpoints'])}")
    lines += [
        "",
        "Options are the endpoint's arguments (--unread-only, --to a@b.c --to c@d.e, --limit 5);",
        "required arguments may be given in order without their names. Add --json '{...}' to pass",
        "arguments as JSON. Results print as JSON.",
    ]
    return "\n".join(lines)


def service_help(name, svc):
    lines = [f"usage: claw {name} <command> [arguments]", "", f"{svc['title']} commands:"]
    for ep_name, ep in svc["endpoints"].items():
        lines.append(f"  {ep_name:<14} {ep['doc']}")
    return "\n".join(lines)


def resolve(svc, word):
    eps = svc["endpoints"]
    if word in eps:
        return word
    for cand in ALIASES.get(word, ()):
        if cand in eps:
            return cand
    starts = [e for e in eps if e.startswith(word)]
    return starts[0] if len(starts) == 1 else None


def _bool(text):
    low = text.lower()
    if low in ("1", "true", "yes", "y", "on"):
        return True
    if low in ("0", "false", "no", "n", "off"):
        return False
    raise argparse.ArgumentTypeError(f"not a boolean: {text!r}")


def _json(text):
    try:
        return json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not JSON: {exc}") from exc


PATH_PARAMS = {"path", "src", "dst", "dir", "attachments"}  # arguments that name files in the home
SCALARS: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "number": float,
    "boolean": _bool,
    "object": _json,
    "string": str,
}


def build_parser(service, ep_name, ep):
    p = argparse.ArgumentParser(prog=f"claw {service} {ep_name}", description=ep["doc"])
    for prm in ep["params"]:
        name, t = prm["name"], prm["type"]
        flag = "--" + name.replace("_", "-")
        flags = [flag]
        default = "" if prm["required"] else f" (default: {json.dumps(prm['default'])})"
        if prm.get("choices"):  # an enumeration: the allowed values in the help
            t = "one of " + "|".join(prm["choices"])
        if prm["required"]:
            p.add_argument(f"_pos_{name}", nargs="?", metavar=name.upper(), help=f"{t}, or use {flag}")
        if t == "boolean":
            p.add_argument(*flags, dest=name, type=_bool, nargs="?", const=True, default=None, help=f"boolean{default}")
            p.add_argument(
                "--no-" + name.replace("_", "-"), dest=name, action="store_const", const=False, help=argparse.SUPPRESS
            )
        elif t.startswith("list["):
            item = SCALARS.get(t[5:-1], str)
            p.add_argument(
                *flags,
                dest=name,
                type=item,
                action="append",
                default=None,
                help=f"{t}, repeat the option for more{default}",
            )
        else:
            p.add_argument(*flags, dest=name, type=SCALARS.get(t, str), default=None, help=f"{t}{default}")
    p.add_argument("--json", dest="_json", metavar="JSON", type=_json, default=None, help="arguments as a JSON object")
    return p


def endpoint_args(service, ep_name, ep, argv):
    # --unread_only and --unread-only both work: options are spelled with dashes
    argv = [_dashed(a) for a in argv]
    ns = vars(build_parser(service, ep_name, ep).parse_intermixed_args(argv))
    args = dict(ns.pop("_json") or {})
    for prm in ep["params"]:
        name = prm["name"]
        pos = ns.get(f"_pos_{name}")
        value = ns.get(name)
        if value is None and pos is not None:
            value = _convert(prm["type"], pos)
        if value is not None:
            args[name] = value
    return args


def home_paths(service, args):
    """File arguments as the files service wants them (relative to home), from the shell's view, for
    the files service and for any call with attachments (``claw api`` and the per-endpoint commands).

    `/home/user/x` and `~/x` become `x`; a relative path that exists from the current
    directory (below home) is taken from there, so `cd Documents; claw ... --attachments a.txt` works.
    """
    if service != "files" and "attachments" not in args:
        return args
    home = os.path.realpath(os.environ.get("HOME", "/home/user"))
    cwd = os.path.realpath(os.getcwd())
    for name in PATH_PARAMS & set(args):
        value = args[name]
        args[name] = (
            [_home_path(v, home, cwd) for v in value] if isinstance(value, list) else _home_path(value, home, cwd)
        )
    return args


def _home_path(value, home, cwd):
    if not isinstance(value, str):
        return value
    if value.startswith("/"):
        full = os.path.normpath(value)
    elif cwd.startswith(home + "/") and os.path.lexists(os.path.join(cwd, os.path.dirname(value) or ".")):
        full = os.path.normpath(os.path.join(cwd, value))
    else:
        return value
    return os.path.relpath(full, home) if full.startswith(home + "/") else value


def _dashed(arg):
    if not arg.startswith("--"):
        return arg
    name, eq, value = arg.partition("=")
    return name.replace("_", "-") + eq + value


def _convert(t, text):
    if t.startswith("list["):
        if text.startswith("["):
            return _json(text)
        return [SCALARS.get(t[5:-1], str)(x) for x in text.split(",")]
    return SCALARS.get(t, str)(text)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    schema = load_schema()
    services = schema["services"]
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(top_help(schema))
        return 0
    head, rest = argv[0], argv[1:]
    if head == "api":
        p = argparse.ArgumentParser(prog="claw api", description="Call any endpoint with JSON arguments.")
        p.add_argument("call", help="service.endpoint, e.g. mail.list (or 'help')")
        p.add_argument("--json", dest="args", type=_json, default={}, help="arguments as a JSON object")
        ns = p.parse_args(rest)
        if not isinstance(ns.args, dict):
            die("--json must be a JSON object")
        show(request(ns.call, home_paths(ns.call.split(".")[0], ns.args)))
        return 0
    if head not in services:
        die(f"unknown service {head!r}; services: {', '.join(services)} (claw --help)")
    svc = services[head]
    if not rest or rest[0] in ("-h", "--help", "help"):
        print(service_help(head, svc))
        return 0
    ep_name = resolve(svc, rest[0])
    if ep_name is None:
        die(f"{head} has no command {rest[0]!r}; commands: {', '.join(svc['endpoints'])}")
    args = endpoint_args(head, ep_name, svc["endpoints"][ep_name], rest[1:])
    show(request(f"{head}.{ep_name}", home_paths(head, args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
