"""Counts with the right noun form: "1 task", "2 tasks", "no calendar entry with id ...".

``f"{n} {noun}s"`` says "1 tasks", and cutting an "s" off a table name says "entrie": the
text agents and people read goes through these three functions instead. English rules for
the nouns this project uses, plus the irregular ones; no dependency.
"""

from __future__ import annotations

IRREGULAR = {"person": "people", "child": "children"}
_SINGULAR = {many: one for one, many in IRREGULAR.items()}
_SIBILANT_ENDS = ("s", "x", "z", "ch", "sh")
_VOWELS = "aeiou"


def plural(noun: str) -> str:
    """The plural of a singular noun: task -> tasks, entry -> entries, box -> boxes, person -> people."""
    if noun in IRREGULAR:
        return IRREGULAR[noun]
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in _VOWELS:
        return noun[:-1] + "ies"
    if noun.endswith(_SIBILANT_ENDS):
        return noun + "es"
    return noun + "s"


def singular(noun: str) -> str:
    """The singular of a plural noun (the inverse of :func:`plural`): entries -> entry, people -> person.

    A word that is not a plural (``log``) comes back as it is."""
    if noun in _SINGULAR:
        return _SINGULAR[noun]
    if noun.endswith("ies") and len(noun) > 3:
        return noun[:-3] + "y"
    if noun.endswith(tuple(end + "es" for end in ("ss", "x", "z", "ch", "sh"))):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun[:-1]
    return noun


def count(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and the noun in the form ``n`` takes: count(1, "task") -> "1 task", count(2, "task") -> "2 tasks".

    ``noun`` is the singular; several words (``"unsolved ticket"``) inflect the last one; ``many``
    overrides the plural."""
    if n == 1:
        return f"{n} {noun}"
    if many is None:
        head, _, last = noun.rpartition(" ")
        many = (head + " " if head else "") + plural(last)
    return f"{n} {many}"


__all__ = ["plural", "singular", "count"]
