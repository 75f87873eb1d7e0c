"""Text renderers: (mix, small args) -> the text of one record field.

Each renderer is registered under a stable key (see :mod:`claw_gym.life.text`); the
history stores only the key, its args and a seed. Args are plain tuples of str/int/float
(or a nested :class:`Lazy` for forwards), so a record stays picklable and self-contained.
"""

from __future__ import annotations

from . import corpus as C
from .text import Lazy, Mix, renderer

BANKS = {"work": C.WORK, "personal": C.PERSONAL, "ticket": C.TICKET, "notes": C.NOTES}


def _styled(style: tuple[int, ...], text: str) -> str:
    lower, emoji = style[2], style[3]
    if lower:
        text = text.lower()
    return text + C.EMOJI[emoji] if emoji else text


@renderer("letter")
def letter(
    mix: Mix,
    style: tuple[int, ...],
    author: str,
    me: str,
    bank: str,
    n_words: int,
    sig: str = "",
    fixed: tuple[tuple[str, str], ...] = (),
) -> str:
    """A mail in the author's own voice: greeting, paragraphs, sign-off, signature lines.

    ``fixed`` pins slots (the thread's project, the ticket's issue) so the text stays on topic.
    """
    first = author.split()[0]
    greet = C.GREETINGS[style[0]].format(me=me)
    body = C.paragraphs(mix, BANKS[bank], n_words, per=2 + style[4], **dict(fixed))
    sign = C.SIGNOFFS[style[1]].format(first=first, name=author, initial=first[0])
    text = f"{greet}\n\n{_styled(style, body)}\n\n{sign}"
    return f"{text}\n{sig}" if sig else text


@renderer("newsletter")
def newsletter(mix: Mix, brand: str, issue: int, n_words: int, postal: str) -> str:
    parts = [f"{brand} - issue #{issue}", "In this issue:"]
    n_sections = max(2, min(6, n_words // 160))
    heads = [mix.pick(C.POOLS["topic"]).capitalize() for _ in range(n_sections)]
    parts += [f"  * {h}" for h in heads]
    per = n_words // n_sections
    for h in heads:
        parts.append(f"\n== {h} ==\n{C.paragraphs(mix, C.NEWS, per, per=4, topic=h.lower())}")
    parts.append("\n" + " ".join(C.LEGAL[:3]))
    parts.append(f"{brand}, {postal}. Unsubscribe: reply STOP or use the link in your account settings.")
    return "\n".join(parts)


@renderer("promo")
def promo(mix: Mix, brand: str, code: str, n_words: int) -> str:
    body = C.paragraphs(mix, C.PROMO, n_words, per=3)
    return f"{body}\n\nYour code: {code}\n\n{' '.join(C.LEGAL)}\n{brand} customer service"


@renderer("spam")
def spam(mix: Mix, n_words: int) -> str:
    body = C.paragraphs(mix, C.SPAM, n_words, per=3)
    return f"Dear valued customer,\n\n{body}\n\nhttp://secure-verify-account.example/login\n\nSupport Team"


@renderer("invoice")
def invoice(
    mix: Mix, vendor: str, number: str, date: str, items: tuple[tuple[str, float], ...], total: float, iban: str
) -> str:
    lines = [f"INVOICE {number}", f"{vendor}", f"Date: {date}", "", f"{'Item':<40}{'Amount':>12}"]
    lines += [f"{desc:<40}{amt:>12.2f}" for desc, amt in items]
    lines += [
        "-" * 52,
        f"{'Total due (EUR)':<40}{total:>12.2f}",
        "",
        f"Please pay within 14 days to {iban}, reference {number}.",
        "Thank you for your business.",
    ]
    return "\n".join(lines)


@renderer("invoice_mail")
def invoice_mail(mix: Mix, vendor: str, number: str, total: float, reminder: bool, attached: bool) -> str:
    head = (
        "Reminder: we have not yet received payment for the invoice below. If you already paid, "
        "please ignore this message.\n\n"
        if reminder
        else ""
    )
    where = "Please find the invoice attached." if attached else "Your invoice is available in your account."
    return (
        f"{head}Hello,\n\n{where} Invoice {number}, total {total:.2f} EUR.\n\n"
        f"{' '.join(C.LEGAL[1:4])}\n\n{vendor} billing team"
    )


@renderer("statement")
def statement(mix: Mix, month: str, rows: tuple[tuple[str, str, str, float], ...]) -> str:
    out = [f"# statement {month}", "date,counterparty,reference,amount"]
    out += [f"{d},{cp.replace(',', ' ')},{ref.replace(',', ' ')},{amt:.2f}" for d, cp, ref, amt in rows]
    return "\n".join(out)


@renderer("notes")
def notes(mix: Mix, title: str, n_words: int, people: tuple[str, ...]) -> str:
    """Meeting notes (with people: work bullet points) or a personal list."""
    head = f"{title}\nPeople: {', '.join(people)}\n" if people else f"{title}\n"
    items = C.sentences(mix, C.NOTES[:3] + C.WORK if people else C.NOTES + C.PERSONAL[:6], n_words)
    return head + "\n".join(f"- {s}" for s in items)


@renderer("journal")
def journal(mix: Mix, date: str, n_words: int) -> str:
    return f"{date}\n\n" + C.paragraphs(mix, C.PERSONAL + C.NOTES, n_words, per=5)


@renderer("forward")
def forward(mix: Mix, note: str, sender: str, date: str, subject: str, inner: Lazy) -> str:
    return (
        f"{note}\n\n---------- Forwarded message ----------\nFrom: {sender}\nDate: {date}\n"
        f"Subject: {subject}\n\n{inner.render()}"
    )


@renderer("booking")
def booking(mix: Mix, company: str, ref: str, what: str, when: str, amount: float, traveller: str) -> str:
    return (
        f"Booking confirmed - {ref}\n\nDear {traveller},\n\nthank you for booking with {company}.\n\n"
        f"  Booking reference: {ref}\n  {what}\n  Departure: {when}\n  Total charged: {amount:.2f} EUR\n\n"
        f"Your ticket is attached. Please have it ready on your phone or printed.\n\n"
        f"{' '.join(C.LEGAL[1:])}\n\n{company} customer care"
    )


@renderer("ticketfile")
def ticketfile(mix: Mix, company: str, ref: str, what: str, when: str, traveller: str) -> str:
    seat = f"{mix.below(30) + 1}{'ABCDF'[mix.below(5)]}"
    return (
        f"{company.upper()} - E-TICKET\nPassenger: {traveller}\nBooking: {ref}\n{what}\n"
        f"Departure: {when}\nSeat: {seat}\nBarcode: {mix.next() % 10**12:012d}\n"
    )


@renderer("agenda")
def agenda(mix: Mix, title: str, n_words: int) -> str:
    items = C.sentences(mix, C.WORK, n_words)
    return f"Agenda - {title}\n" + "\n".join(f"{i + 1}. {s}" for i, s in enumerate(items))
