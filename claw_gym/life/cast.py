"""The cast around the persona: stable writing styles, and the businesses in their life.

The persona's people (family, manager, colleagues, friends) come from
:mod:`claw_gym.persona` and are left untouched (families draw from them with
``ctx.person``). This module adds what a life also has: a landlord, shops,
subscriptions, newsletters, a bank, a travel company, and a writing style per person
(greeting, sign-off, case, emoji, paragraph length) that every mail they write keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..persona import Person, Persona

# Individuals outside the persona's pools, so their names never collide with a family's draw.
EXTRA_NAMES = (
    "Agnes Whitlock",
    "Bruno Castellane",
    "Cora Vandermeer",
    "Desmond Achterberg",
    "Eliza Thornbury",
    "Felix Ostrowski",
    "Greta Halloran",
    "Horace Beaumont",
)
#: the business contacts every working life collects (clients, suppliers, a recruiter): names and
#: companies outside the persona's pools and the families' account books, so no draw collides.
#: Names as short and as long as the clients a family adds ("Ana Ruiz", "Mireille Dubois"): a pool of
#: long rare names alone marked the background's cards
BUSINESS_NAMES = (
    "Rosalind Achebe",
    "Leopold Strand",
    "Marisol Quintero",
    "Henrietta Okonjo",
    "Owen Pask",
    "Ida Berne",
    "Max Quayle",
    "Joan Pell",
    "Saul Brennick",
    "Tess Morrow",
    "Edda Crane",
    "Rolf Tiernan",
    "Abel Foss",
    "Nell Ashby",
    "Cyril Dunne",
    "Mae Corran",
    "Otto Hesketh",
    "Gwen Lisle",
    "Boris Rook",
    "Alma Tully",
    "Lise Varden",
    "Ned Calloway",
    "Wren Oakes",
    "Jude Marlin",
)
BUSINESS = (
    ("Pinecrest Outfitters", "client"),
    ("Saltmarsh Consulting", "client"),
    ("Brightwater Clinics", "client"),
    ("Quillon Freight", "supplier"),
    ("Tidewell Packaging", "supplier"),
    ("Marlowe Talent", "recruiter"),
    ("Ravensmoor Estates", "client"),
    ("Fenwick-Hale Partners", "client"),
    ("Corbin-Ashe Logistics", "supplier"),
    ("Larkspur Analytics", "client"),
    ("Holloway Print", "supplier"),
)
LANDLORDS = ("Harbor Property Management", "Oakline Lettings", "Greenway Homes", "Cityside Rentals")
NEWSLETTERS = (
    ("The Morning Brief", "brief@morningbrief.example"),
    ("Dev Weekly", "digest@devweekly.example"),
    ("City Pulse", "hello@citypulse.example"),
    ("Money Matters", "news@moneymatters.example"),
    ("Green Living", "letters@greenliving.example"),
    ("Trail & Summit", "team@trailsummit.example"),
)
SHOPS = (
    ("ShopMart", "deals@shopmart.example"),
    ("Nordic Home", "offers@nordichome.example"),
    ("RunFast", "club@runfast.example"),
    ("PixelPlanet", "sales@pixelplanet.example"),
    ("Bookworm", "hello@bookworm.example"),
)
SUBSCRIPTIONS = (
    ("StreamBox", 12.99),
    ("CloudVault", 2.99),
    ("TuneWave", 10.99),
    ("NewsPlus", 7.50),
    ("FitTrack Pro", 4.99),
    ("PhotoLab", 9.99),
)
UTILITIES = (
    ("Volt Energy", "billing@voltenergy.example"),
    ("AquaCity Water", "invoices@aquacity.example"),
    ("Skyline Telecom", "billing@skylinetelecom.example"),
)
MERCHANTS = (
    "Corner Bakery",
    "FreshMart",
    "Metro Transit",
    "Bean There Cafe",
    "Green Grocer",
    "City Pharmacy",
    "Noodle Bar",
    "Petrol Express",
    "Bike Hub",
    "Pizzeria Napoli",
    "Book Nook",
    "Daily Deli",
)
SPAMMERS = (
    "security@acc0unt-verify.example",
    "prize@lucky-winner.example",
    "parcel@deliv-notice.example",
    "invest@quick-returns.example",
)
TRAVEL = (
    ("SkyJet Airways", "bookings@skyjet.example", "flight"),
    ("RailConnect", "tickets@railconnect.example", "train"),
)
STREETS = (
    "Linden Allee",
    "Harbour Road",
    "Maple Crescent",
    "Via Roma",
    "Kingsway",
    "Rosengasse",
    "Elm Court",
    "Canal Street",
)
GYMS = ("FitClub", "IronWorks Gym", "Pulse Fitness")


@dataclass(frozen=True)
class Style:
    """How one person writes: indices into the corpus' greetings/sign-offs/emoji, lower case, length."""

    greeting: int
    signoff: int
    lower: int
    emoji: int
    verbosity: int

    def args(self) -> tuple[int, ...]:
        return (self.greeting, self.signoff, self.lower, self.emoji, self.verbosity)


@dataclass
class Cast:
    persona: Persona
    styles: dict[str, Style]
    addresses: dict[str, str]  # person name -> home address (friends and family)
    landlord: str
    landlord_email: str
    rent: float
    salary: float
    gym: str
    newsletters: list[tuple[str, str]]
    shops: list[tuple[str, str]]
    subscriptions: list[tuple[str, float]]
    utilities: list[tuple[str, str]]
    merchants: list[str]
    accountant: Person
    extras: list[Person] = field(default_factory=list)

    def style(self, name: str) -> tuple[int, ...]:
        return self.styles[name].args()

    def work_people(self) -> list[Person]:
        return [p for p in self.persona.people if p.relation in ("manager", "colleague")]

    def private_people(self) -> list[Person]:
        return [p for p in self.persona.people if p.relation not in ("manager", "colleague")]


class _Draw:
    """Scalar draws from one vector of numpy uniforms (a numpy scalar call costs ~5 us each)."""

    def __init__(self, rng: np.random.Generator, n: int = 512) -> None:
        self._u = iter(rng.random(n).tolist())

    def below(self, n: int) -> int:
        return int(next(self._u) * n)

    def pick(self, seq: Any) -> Any:
        return seq[self.below(len(seq))]

    def chance(self, p: float) -> bool:
        return next(self._u) < p

    def some(self, pool: tuple, k: int) -> list:
        idx = list(range(len(pool)))
        return [pool[i] for i in sorted(idx.pop(self.below(len(idx))) for _ in range(min(k, len(pool))))]


def _style(d: _Draw, work: bool) -> Style:
    g = d.pick((0, 2, 3, 7, 6)) if work else d.pick((0, 1, 4, 5, 6))
    s = d.pick((0, 1, 3, 6, 7)) if work else d.pick((0, 2, 4, 5, 6))
    lower = int(not work and d.chance(0.4))
    emoji = 1 + d.below(7) if (not work and d.chance(0.6)) or d.chance(0.1) else 0
    return Style(g, s, lower, emoji, d.below(3))


def make_cast(persona: Persona, rng: np.random.Generator) -> Cast:
    d = _Draw(rng)
    people = persona.people
    styles = {p.name: _style(d, p.relation in ("manager", "colleague")) for p in people}
    addresses = {
        p.name: f"{1 + d.below(219)} {d.pick(STREETS)}, {persona.city}"
        for p in people
        if p.relation not in ("manager", "colleague")
    }
    landlord = d.pick(LANDLORDS)
    acc_name = d.pick(EXTRA_NAMES)
    accountant = Person(
        acc_name,
        acc_name.lower().replace(" ", ".") + "@taxwise.example",
        f"+1 555 {100 + d.below(899)} {1000 + d.below(8999)}",
        "accountant",
        "Taxwise Advisors",
    )
    styles[accountant.name] = Style(3, 7, 0, 0, 1)
    some = d.some
    return Cast(
        persona=persona,
        styles=styles,
        addresses=addresses,
        landlord=landlord,
        landlord_email="rent@" + landlord.lower().replace(" ", "") + ".example",
        rent=d.pick((950.0, 1100.0, 1250.0, 1400.0, 1680.0)),
        salary=d.pick((3200.0, 3650.0, 4100.0, 4480.0, 5200.0)),
        gym=d.pick(GYMS),
        newsletters=some(NEWSLETTERS, 4),
        shops=some(SHOPS, 3),
        subscriptions=some(SUBSCRIPTIONS, 4),
        utilities=some(UTILITIES, 2),
        merchants=some(MERCHANTS, 8),
        accountant=accountant,
        extras=[accountant],
    )


def business_contacts(rng: np.random.Generator) -> list[Person]:
    """Twelve to nineteen business contacts at companies of their own (``first.last@company.example``):
    the background's share of the client-shaped cards a support or sales family adds (as many as
    the persona's own people, so a card at a company's ``.example`` domain is no sign of a family's).
    Cards are filled in as people fill them: a fifth name no relation, a few no phone."""
    d = _Draw(rng)
    names = d.some(BUSINESS_NAMES, 12 + d.below(8))
    out = []
    for name in names:
        company, relation = d.pick(BUSINESS)
        domain = company.lower().replace(" ", "") + ".example"
        phone = f"+1 555 {100 + d.below(899)} {1000 + d.below(8999)}"
        if d.below(5) == 0:
            relation = ""
        if d.below(7) == 0:
            phone = ""
        out.append(Person(name, name.lower().replace(" ", ".") + "@" + domain, phone, relation, company))
    return out
