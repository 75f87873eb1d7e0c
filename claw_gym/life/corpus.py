"""Word pools and sentence banks the renderers draw from.

Templates name their slots (``{project}``, ``{thing}``...); :class:`Slots` fills each
slot from its pool with the renderer's :class:`~claw_gym.life.text.Mix`, so one bank
yields many different sentences. Pure data: no behaviour lives here.
"""

from __future__ import annotations

from typing import Any

from .text import Mix

#: pages of notes people keep (a plain title, "- " lines): the background writes a few, and a family
#: puts its standing rule as one line among them (envs/kit/jottings.py)
JOT_TITLES: dict[str, tuple[str, ...]] = {
    "home": ("Notes to self", "House notes", "Things to remember", "Home admin", "Misc"),
    "work": ("Work notes", "Desk notes", "Work - misc", "Things to remember (work)", "Running notes"),
}
JOT_LINES: dict[str, tuple[str, ...]] = {
    "home": (
        "Recycling goes out Tuesday night, glass on the first Friday of the month.",
        "Spare key: with the neighbours at no. 14.",
        "Boiler service is due in spring - the number is on the fridge.",
        "Car insurance renews in October; compare before auto-renewal.",
        "Dentist recall every six months.",
        "Water the balcony plants twice a week in summer.",
        "Wifi router is in the hallway cupboard; restart it there.",
        "Library books go back on Saturdays.",
        "Bike lock code is the old flat number.",
        "Smoke alarm batteries: change in January.",
        "Never put the good pans in the dishwasher.",
        "Always take the bins back in by Wednesday evening, the landlord checks.",
        "If anyone asks about the parking space, ours is number 7.",
        "Never leave the balcony door open when it rains.",
    ),
    "work": (
        "Expense claims in by the 5th of the month.",
        "Badge renewals at reception, 2nd floor.",
        "The printer on 3 jams - use the one on 4.",
        "VPN drops after 8 hours; reconnect before long calls.",
        "Room bookings over 2 hours need facilities' OK.",
        "Quarterly numbers freeze on the 3rd working day.",
        "Timesheets every Friday before 4.",
        "Parking passes are renewed in January.",
        "All-hands slides go to comms two days ahead.",
        "New joiners get a buddy for their first month.",
        "Never microwave fish in the team kitchen.",
        "Always take a laptop charger to the offsite.",
        "If anyone asks where the spare monitors are: the store room on 4.",
        "Never leave markers in the meeting rooms, facilities take them.",
    ),
}

POOLS: dict[str, tuple[str, ...]] = {
    "project": (
        "the onboarding revamp",
        "the billing migration",
        "the Q2 roadmap",
        "the data pipeline rewrite",
        "the partner portal",
        "the mobile release",
        "the pricing experiment",
        "the search relaunch",
        "the compliance audit",
        "the warehouse integration",
    ),
    "thing": (
        "the draft",
        "the slides",
        "the budget sheet",
        "the test plan",
        "the contract",
        "the mockups",
        "the release notes",
        "the API spec",
        "the survey results",
        "the dashboard",
        "the timeline",
        "the vendor quote",
        "the retro notes",
        "the hiring plan",
        "the status report",
    ),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "time": ("9:00", "9:30", "10:00", "11:15", "12:30", "14:00", "15:30", "16:00", "17:45", "19:00"),
    "place": (
        "the usual cafe",
        "the park",
        "the office",
        "the station",
        "the new ramen place",
        "the market",
        "the library",
        "the climbing gym",
        "the bakery on the corner",
        "the river walk",
    ),
    "food": (
        "pasta",
        "tacos",
        "curry",
        "dumplings",
        "a big salad",
        "pizza",
        "soup",
        "pancakes",
        "sushi",
        "roast vegetables",
        "lentil stew",
        "shakshuka",
    ),
    "topic": (
        "remote work",
        "battery technology",
        "city cycling lanes",
        "home energy prices",
        "open-source funding",
        "urban gardening",
        "sleep research",
        "electric buses",
        "the housing market",
        "AI regulation",
        "coffee prices",
        "the local elections",
        "space launches",
        "museum openings",
        "rail strikes",
    ),
    "feeling": (
        "tired but happy",
        "a bit stressed",
        "really relieved",
        "quite excited",
        "honestly exhausted",
        "pretty optimistic",
        "slightly overwhelmed",
        "in a good mood",
    ),
    "n": ("two", "three", "four", "five", "six", "ten", "a dozen", "twenty"),
    "pct": ("5%", "8%", "12%", "15%", "20%", "25%", "30%", "40%"),
    "product": (
        "headphones",
        "running shoes",
        "desk lamps",
        "rain jackets",
        "blenders",
        "backpacks",
        "bed linen",
        "smart speakers",
        "yoga mats",
        "coffee grinders",
        "phone cases",
        "winter coats",
        "e-readers",
        "garden chairs",
        "cast-iron pans",
        "wool jumpers",
    ),
    "hobby": (
        "climbing",
        "pottery",
        "running",
        "chess",
        "baking",
        "photography",
        "guitar",
        "swimming",
        "board games",
        "hiking",
    ),
    "show": (
        "that new detective series",
        "the cooking show",
        "the documentary about octopuses",
        "the football match",
        "the film festival",
        "the quiz night",
    ),
    "issue": (
        "the login page times out",
        "exports come out empty",
        "the invoice total is wrong",
        "notifications arrive twice",
        "the app crashes on start",
        "the sync stalls at 80%",
        "password reset mails never arrive",
        "the report shows last month's data",
    ),
    "metric": (
        "conversion",
        "churn",
        "latency",
        "signups",
        "ticket volume",
        "error rate",
        "weekly actives",
        "load time",
    ),
}

GREETINGS = ("Hi {me},", "Hey {me}!", "Hello {me},", "Dear {me},", "{me} -", "hey", "Hi there,", "Morning {me},")
SIGNOFFS = (
    "Cheers,\n{first}",
    "Best,\n{first}",
    "Thanks!\n{first}",
    "Best regards,\n{name}",
    "- {initial}",
    "Talk soon,\n{first}",
    "{first}",
    "Kind regards,\n{name}",
)
EMOJI = ("", " :)", " :D", " ;)", " <3", " \U0001f642", " \U0001f44d", " \U0001f389")

WORK = (
    "Quick update on {project}: work on {thing} is about {pct} further along than last week.",
    "I went through {thing} again and left comments on the parts that still feel unclear.",
    "Can you take a look at {thing} before {weekday}? No rush if that is too tight.",
    "We agreed to park the open questions about {metric} until we have cleaner numbers.",
    "The team would like to move the check-in to {weekday} at {time}, if that still works for everyone.",
    "I spoke with finance and they are fine with the revised numbers in {thing}.",
    "Heads up: {metric} dipped by {pct} after the last change, probably just noise but worth watching.",
    "Let us keep {project} scoped to the must-haves; the rest can go into a follow-up.",
    "I will send {thing} around once legal has had a look.",
    "Thanks for jumping on the call yesterday, it helped a lot to untangle the dependencies.",
    "Could you confirm who owns the follow-up on {thing}? I lost track after the meeting.",
    "The vendor came back with a new quote; it is roughly {pct} above what we budgeted.",
    "I have added {n} new items to the backlog, mostly small fixes around {metric}.",
    "If nobody objects by {weekday}, I will treat the plan for {project} as agreed.",
    "We are still waiting on access to the staging environment, which blocks most of the testing.",
    "Attaching my notes from the workshop; the whiteboard photos are in the shared folder.",
    "One risk I see is that {project} collides with the holiday period, so we lose about a week.",
    "I am out on {weekday} afternoon, but reachable by phone if anything urgent comes up.",
    "The customer demo went well overall, they mostly asked about {metric} and timelines.",
    "Please update your sections of {thing} by end of day {weekday}.",
    "For {project}, the open item is still {thing}; I would rather fix it now than after launch.",
    "I looked at the numbers again: {metric} is flat, which is fine for now but not where we want it.",
    "Legal asked for two more days on {thing}, so I moved our internal deadline to {weekday}.",
    "Could we get fifteen minutes on {weekday} around {time} to settle the scope of {project}?",
    "I have shared {thing} with the wider team; comments are open until {weekday}.",
    "The good news is that {metric} improved by {pct} since the change went live.",
    "I am not convinced we need a separate workstream for this, it fits inside {project}.",
    "Marking this as done on my side; shout if anything in {thing} looks off.",
    "We should loop in finance before we commit to the new numbers in {thing}.",
    "Sorry for the slow reply, {weekday} was back-to-back meetings.",
    "Two small asks: a second pair of eyes on {thing}, and a decision on the {metric} target.",
    "Let us use the sync on {weekday} to walk through {thing} line by line.",
)
PERSONAL = (
    "How was your week? I am {feeling}, work has been a lot.",
    "Are you free on {weekday}? We could meet at {place} around {time}.",
    "I made {food} last night and there is way too much left, come over if you like.",
    "Did you see {show}? I could not stop thinking about the ending.",
    "I finally started {hobby} again, it feels great even if I am terrible at it.",
    "Mum asked if we are coming for lunch on {weekday}; I said probably yes.",
    "Thanks again for the help with the move, I owe you {food}.",
    "The weather here has been all over the place, sunny one hour and pouring the next.",
    "I booked the tickets, we just need to decide where to eat before.",
    "Let me know if you need anything from the shop, I am going anyway.",
    "Sorry I missed your call, I was at {place} and my phone was on silent.",
    "The kids next door have taken up drums, so that is my life now.",
    "Can you send me the photos from last weekend? The one at {place} especially.",
    "I am {feeling} after the trip, it was worth it though.",
    "Grandma's birthday is coming up, any ideas for a present? She mentioned {product}.",
    "We should plan something for the long weekend, maybe {hobby} or just a quiet day.",
    "The garden is finally coming back to life, the tulips are out.",
    "I tried a new recipe for {food}; not bad, but it needs more salt next time.",
    "Work is {feeling} at the moment, but the end of the project is in sight.",
    "Did you hear back about the flat? Fingers crossed for you.",
    "We watched {show} on {weekday}, you would have loved it.",
    "My knee is better, so I am back to {hobby} twice a week.",
    "Remind me to give you back the book you lent me, I finished it in two days.",
    "The neighbours invited us for {food} on {weekday}, which was very sweet of them.",
    "I am thinking of taking a few days off in spring, maybe somewhere by the sea.",
    "Say hi to everyone from me, and let me know when you are around next.",
)
NEWS = (
    "Experts say {topic} will shape the next decade more than most people expect.",
    "A new report on {topic} found that {pct} of respondents changed their habits this year.",
    "Critics argue the latest proposals on {topic} do not go far enough.",
    "Local groups have organised {n} events this month around {topic}.",
    "The city council will debate {topic} again on {weekday}, after last month's session ran out of time.",
    "Our readers wrote in with strong opinions about {topic}; a selection follows below.",
    "Prices rose by {pct} over the quarter, driven mostly by transport and energy costs.",
    "Researchers caution that early results on {topic} are promising but far from settled.",
    "In an interview, the organisers explained why they moved the festival to {place}.",
    "Several startups are betting that {topic} will finally reach ordinary households.",
    "The numbers behind {topic} tell a more complicated story than the headlines suggest.",
    "For a deeper dive, see our explainer on {topic} and the people behind it.",
    "Weekend tip: {place} hosts a free guided walk every {weekday} at {time}.",
    "Recipe of the week: a quick {food} that takes less than thirty minutes.",
    "Sports roundup: a late goal decided the derby, and the league table tightened again.",
    "Three things to know about {topic} before the weekend, explained in plain words.",
    "One reader asked whether {topic} will affect rents; the short answer is: it depends where you live.",
    "Officials expect a decision on {topic} before the summer, though similar promises have slipped before.",
    "A small business owner told us that {topic} had changed how she hires and plans.",
    "Economists are split: some see {topic} as a short-lived trend, others as a lasting shift.",
    "The debate over {topic} has moved from conference halls to kitchen tables.",
    "If you only read one thing this week, make it our long read on {topic}.",
    "Correction: last week we misstated a figure on {topic}; the right number is {pct}.",
    "Volunteers at {place} are looking for help on {weekday} mornings.",
    "Weather: a mild start to the week, with showers arriving by {weekday}.",
    "Transport: expect delays on the northern line on {weekday} because of maintenance work.",
    "Culture: the new exhibition at {place} opens on {weekday} with free entry for the first week.",
    "Our poll found that {pct} of readers want more coverage of {topic}.",
    "Behind the numbers: why {topic} grew fastest in smaller towns.",
)
PROMO = (
    "Save {pct} on {product} this week only, while stocks last.",
    "Members get free delivery on every order over 30 EUR until {weekday}.",
    "Our bestselling {product} are back in stock in {n} new colours.",
    "Use the code at checkout to unlock an extra {pct} off your next order.",
    "Not ready yet? Your basket is saved for the next seven days.",
    "Customers who bought {product} also loved our new range of accessories.",
    "Spring collection: {product} and more, designed to last.",
    "Free returns within 30 days on all {product}.",
    "Gift idea: {product}, wrapped and delivered by {weekday}.",
    "Flash sale ends at midnight on {weekday}, do not miss out.",
    "Join the loyalty club today and collect points on every purchase.",
)
LEGAL = (
    "Offer valid while stocks last and cannot be combined with other promotions.",
    "Prices include VAT where applicable; delivery times may vary by region.",
    "You receive this message because you subscribed to our newsletter; you can unsubscribe at any time.",
    "We process your personal data in accordance with our privacy policy, available on our website.",
    "Terms and conditions apply; see the website for full details and eligibility criteria.",
)
SPAM = (
    "Your account has been temporarily suspended due to unusual activity, verify your details within 24 hours.",
    "Congratulations! You have been selected to receive an exclusive reward worth 500 EUR.",
    "Click the secure link below to confirm your identity and restore access.",
    "This is your final notice regarding an unpaid parcel fee of 1.99 EUR.",
    "Invest today and see returns of up to {pct} per week with our proven system.",
    "Dear customer, we could not deliver your package because the address was incomplete.",
    "Limited slots available, reply now to secure your position.",
)
CHAT = (
    "morning all",
    "anyone up for lunch at {time}?",
    "coffee run, who wants something?",
    "did the build break again or is it just me",
    "nice work on {thing} everyone",
    "reminder: {project} sync moved to {time}",
    "I'll be 5 min late to standup",
    "who has the link to {thing}?",
    "happy friday!",
    "the office wifi is down again",
    "can someone review my PR when they have a sec",
    "cake in the kitchen, first come first served",
    "ugh, another meeting that could have been an email",
    "great demo today",
    "OOO tomorrow, ping me on my phone if urgent",
    "has anyone tried the new place across the street?",
    "{metric} looks much better since the last deploy",
    "fyi the printer on 3 is fixed",
)
SMS = (
    "on my way",
    "running 10 min late sorry",
    "can you grab milk?",
    "call me when you can",
    "are we still on for {weekday}?",
    "see you at {place}",
    "{food} tonight?",
    "just landed",
    "haha yes",
    "thanks!!",
    "did you see my email?",
    "love you, talk later",
    "home in 20",
    "what time is the thing on {weekday}?",
    "forgot my keys, are you home?",
    "ok sounds good",
    # the errands people text about: a question or a change, a time or a day in it
    "Can you send me the address for {weekday}? I lost the message",
    "Remind me what time the thing on {weekday} starts? I forgot to write it down",
    "Tried to call you - call me back when you are out of your meeting?",
    "Sorry, can we push {weekday} to a bit later? Something came up at work.",
    "Did the parcel come? The tracking says it was delivered before lunch.",
    "I'm at {place}, they have {food} today - want me to bring some home?",
    "Can you check if we still have the spare key? I need it on {weekday} morning.",
    "The plumber can only come between 12 and 2 on {weekday}, does that work for you?",
    "Are you free on {weekday} evening? We were thinking {food} at ours around 7.",
    "Could you pick up the kids from practice on {weekday}? I'm stuck at work until 6.",
    "The doctor moved my appointment to {weekday} at 9:40, so I can't do the morning run.",
    "Heads up: the car is at the garage until {weekday}, can I borrow yours on Friday?",
)
NOTES = (
    "Agreed next steps: {thing} owner to send an update by {weekday}.",
    "Open question: do we need sign-off from finance before {project} moves on?",
    "Decision: keep the current scope, revisit {metric} targets next month.",
    "Idea: try {hobby} on weekends, maybe with a class at {place}.",
    "Remember to bring {product} back to the shop, receipt is in the drawer.",
    "Risks: timeline, staffing, and the dependency on the vendor for {thing}.",
    "Reading list: the long piece about {topic}, and the follow-up interview.",
    "Budget check: groceries went up about {pct} compared to last month.",
)
TICKET = (
    "Since {weekday} {issue}, and it happens for about {pct} of our users.",
    "Steps to reproduce: log in, open the reports tab, wait about a minute.",
    "We tried clearing the cache and reinstalling, the problem persists.",
    "This blocks our monthly close, so a quick answer would be much appreciated.",
    "Screenshot and logs attached; the error code is shown at the bottom of the page.",
    "Our account manager suggested opening a ticket here.",
)


class Slots(dict):
    """``format_map`` mapping: fixed values first, then a fresh pick from the pool per slot."""

    __slots__ = ("mix",)

    def __init__(self, mix: Mix, **fixed: Any) -> None:
        super().__init__(fixed)
        self.mix = mix

    def __missing__(self, key: str) -> str:
        return self.mix.pick(POOLS[key])


def sentences(mix: Mix, bank: tuple[str, ...], n_words: int, **fixed: Any) -> list[str]:
    """Sentences from ``bank`` until about ``n_words`` words are written.

    Templates are dealt like cards (no repeat until the bank is used up), so a text does not
    say the same thing twice in a row; slots vary anyway.
    """
    slots = Slots(mix, **fixed)
    out: list[str] = []
    count = 0
    deck: list[str] = []
    while count < n_words:
        if not deck:
            deck = list(bank)
        s = deck.pop(mix.below(len(deck))).format_map(slots)
        out.append(s)
        count += s.count(" ") + 1
    return out


def paragraphs(mix: Mix, bank: tuple[str, ...], n_words: int, per: int = 4, **fixed: Any) -> str:
    lines = sentences(mix, bank, n_words, **fixed)
    return "\n\n".join(" ".join(lines[i : i + per]) for i in range(0, len(lines), per))


#: customer accounts the person's company serves (the CRM's and the helpdesk's)
ACCOUNTS = (
    "Brightline Media",
    "Coral Systems",
    "Dunmore Foods",
    "Evergreen Clinics",
    "Foxglove Retail",
    "Gantry Logistics",
    "Halcyon Hotels",
    "Ironbark Mining",
    "Jetstream Travel",
    "Kestrel Security",
)
