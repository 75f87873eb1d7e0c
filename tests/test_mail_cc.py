"""A reply or a forward can copy people in, as mail.send can (a player had to send a 'Re:' by hand)."""

from __future__ import annotations

import pytest

from claw_gym.persona import make_persona
from claw_gym.services import ServiceError
from claw_gym.tasks.build import start_time
from claw_gym.world import World


def mailbox() -> tuple[World, str]:
    w = World("cc-probe", 0, ("mail", "files"), start_time(5))
    w.persona = make_persona(w.rng)
    mail = w.services["mail"]
    m = mail.insert(
        "messages",
        {
            "time": w.clock.now,
            "from": "ana@bank.example",
            "to": [mail.address()],
            "cc": [],
            "subject": "Loan",
            "body": "Can we talk?",
            "folder": "inbox",
            "read": False,
            "attachments": [],
        },
    )
    return w, m["id"]


def test_reply_and_forward_copy_the_cc_and_keep_it_empty_by_default() -> None:
    w, mid = mailbox()
    mail = w.services["mail"]
    replied = mail.table("messages")[mail.reply(id=mid, body="Yes.", cc=["nora@example.org"])["sent"]]
    assert replied["to"] == ["ana@bank.example"] and replied["cc"] == ["nora@example.org"]
    assert replied["subject"] == "Re: Loan" and replied["in_reply_to"] == mid
    fwd = mail.table("messages")[mail.forward(id=mid, to=["tom@example.org"], cc=["nora@example.org"])["sent"]]
    assert fwd["to"] == ["tom@example.org"] and fwd["cc"] == ["nora@example.org"]
    plain = mail.table("messages")[mail.reply(id=mid, body="Again.")["sent"]]
    assert plain["cc"] == []


def test_a_bad_cc_is_refused_and_sends_nothing() -> None:
    w, mid = mailbox()
    mail = w.services["mail"]
    before = len(mail.table("messages"))
    with pytest.raises(ServiceError, match="cc"):
        mail.reply(id=mid, body="Yes.", cc=["not an address"])
    with pytest.raises(ServiceError, match="cc"):
        mail.forward(id=mid, to=["tom@example.org"], cc=["@nowhere"])
    assert len(mail.table("messages")) == before
