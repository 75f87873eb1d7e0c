"""The `claw` command's argument handling, without a sandbox (runs where bwrap is missing too)."""

from __future__ import annotations

import pytest

from claw_gym.devices.laptop import claw_cli
from claw_gym.devices.laptop.laptop import schema_of
from claw_gym.world import World

WORLD = World("t", 1, ["mail", "calendar", "todo", "files", "expenses"], 1_767_600_000)
SCHEMA = schema_of(WORLD)["services"]


def args_for(service: str, words: list[str]) -> tuple[str, dict]:
    svc = SCHEMA[service]
    ep = claw_cli.resolve(svc, words[0])
    assert ep is not None, words
    return ep, claw_cli.endpoint_args(service, ep, svc["endpoints"][ep], words[1:])


def test_every_endpoint_has_a_parser():
    for name, svc in SCHEMA.items():
        for ep_name, ep in svc["endpoints"].items():
            claw_cli.build_parser(name, ep_name, ep).format_help()


def test_types_lists_booleans_positionals_and_json():
    assert args_for("mail", ["list", "--unread", "--limit", "3"]) == ("list", {"unread_only": True, "limit": 3})
    assert args_for("mail", ["list", "--unread_only=false"]) == ("list", {"unread_only": False})
    assert args_for("mail", ["list", "--no-unread-only"]) == ("list", {"unread_only": False})
    ep, a = args_for("mail", ["send", "--to", "a@x.org", "--to", "b@x.org", "--subject", "s", "--body", "b"])
    assert ep == "send" and a == {"to": ["a@x.org", "b@x.org"], "subject": "s", "body": "b"}
    assert args_for("mail", ["get", "m0001"]) == ("get", {"id": "m0001"})
    ep, a = args_for("calendar", ["add", "Dentist", "2026-03-02 10:00", "2026-03-02 11:00", "--attendees", "a@x.org"])
    assert ep == "create_event" and a["title"] == "Dentist" and a["attendees"] == ["a@x.org"]
    assert args_for("todo", ["add", "Call mum"]) == ("add_task", {"title": "Call mum"})
    ep, a = args_for(
        "expenses",
        ["create", "--json", '{"date": "2026-03-01", "merchant": "M"}', "--amount", "9.5", "--category", "meals"],
    )
    assert a == {"date": "2026-03-01", "merchant": "M", "amount": 9.5, "category": "meals"}
    ep, a = args_for("expenses", ["submit", "x0001,x0002"])  # a list positional splits on commas
    assert a == {"ids": ["x0001", "x0002"]}


def test_bad_usage_exits_2():
    svc = SCHEMA["mail"]
    with pytest.raises(SystemExit) as exc:
        claw_cli.endpoint_args("mail", "list", svc["endpoints"]["list"], ["--limit", "many"])
    assert exc.value.code == 2
    assert claw_cli.resolve(svc, "explode") is None
