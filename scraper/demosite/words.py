"""Word and phrase banks the demo site's prose is generated from.

Only data lives here. The banks are large enough that 10 000 articles read as varied, and
they carry the characters extractors trip over: curly quotes, em dashes, ampersands,
apostrophes and text in German, French, Polish and Russian.
"""

from __future__ import annotations

SITE_NAME = "The Demo Gazette"
SITE_TAGLINE = "Independent news from the demo desk"

# (display name, slug); a few names are not ASCII.
STAFF: tuple[tuple[str, str], ...] = (
    ("Zoë Brandt", "zoe-brandt"),
    ("Łukasz Nowak", "lukasz-nowak"),
    ("Анна Петрова", "anna-petrova"),
    ("James Whitfield", "james-whitfield"),
    ("Priya Raman", "priya-raman"),
    ("Tomás Ortega", "tomas-ortega"),
    ("Hannah Li", "hannah-li"),
    ("Mary-Kate O'Neill", "mary-kate-oneill"),
    ("Kwame Mensah", "kwame-mensah"),
    ("Chloé Martin", "chloe-martin"),
    ("Oliver Grant", "oliver-grant"),
    ("Sarah Cohen", "sarah-cohen"),
)

# (display name, slug)
SECTIONS: tuple[tuple[str, str], ...] = (
    ("World", "world"),
    ("Politics", "politics"),
    ("Business", "business"),
    ("Technology", "technology"),
    ("Science", "science"),
    ("Culture", "culture"),
    ("Sports", "sports"),
)

PLACES = (
    "Berlin",
    "Kraków",
    "Zürich",
    "Lyon",
    "Manchester",
    "São Paulo",
    "Rotterdam",
    "Vilnius",
    "Toronto",
    "Nairobi",
    "Porto",
    "Gdańsk",
    "Malmö",
    "Bilbao",
    "Leeds",
    "Graz",
    "Tallinn",
    "Marseille",
    "Dublin",
    "Ljubljana",
    "Cork",
    "Trondheim",
    "Bologna",
    "Łódź",
)

ORGS = (
    "the city council",
    "the central bank",
    "Northwind Energy",
    "the University of Leeds",
    "the statistics office",
    "Bergmann & Söhne",
    "the transport authority",
    "the regional parliament",
    "Harbour & Vale Holdings",
    "the ombudsman's office",
    "the national audit office",
    "a coalition of tenant groups",
    "the port authority",
    "the teachers' union",
    "Lumen Analytics",
    "the chamber of commerce",
)

OFFICIALS = (
    "the finance minister",
    "the mayor",
    "a senior EU official",
    "the company's chief executive",
    "the committee chair",
    "opposition leader Marta Keller",
    "the health commissioner",
    "a spokesperson for the ministry",
    "the head of the regulator",
    "the union's general secretary",
    "the lead researcher",
    "the club's sporting director",
    "the festival's artistic director",
    "a government adviser",
    "the deputy governor",
)

GROUPS = (
    "residents",
    "small-business owners",
    "economists",
    "opposition lawmakers",
    "campaigners",
    "local farmers",
    "commuters",
    "researchers",
    "season-ticket holders",
    "landlords",
    "nurses",
    "students",
    "shareholders",
    "civil-rights lawyers",
)

TIMES = (
    "on Tuesday",
    "last week",
    "earlier this month",
    "on Friday evening",
    "this spring",
    "in a speech on Monday",
    "late on Wednesday",
    "over the weekend",
    "at a briefing on Thursday",
)

FUTURES = (
    "in the coming weeks",
    "by the end of the year",
    "before the summer recess",
    "next spring",
    "within eighteen months",
    "as early as next quarter",
)

SAID = ("said", "told reporters", "wrote in a statement", "argued", "insisted", "conceded")

ADJ = (
    "ambitious",
    "controversial",
    "long-delayed",
    "modest",
    "sweeping",
    "cautious",
    "hard-won",
    "fragile",
    "unexpected",
    "costly",
    "overdue",
    "closely watched",
)

ADJ_NEG = (
    "underfunded",
    "poorly explained",
    "rushed",
    "opaque",
    "overly optimistic",
    "badly timed",
)

PERIODS = ("year", "quarter", "decade", "two years", "six months", "winter")

OUTCOMES = (
    "move ahead despite the objections",
    "be reviewed by an independent panel",
    "cost considerably more than first estimated",
    "be put to a public consultation",
    "need cross-party support to survive",
    "be phased in over several years",
    "face a legal challenge almost immediately",
    "leave the most vulnerable households exposed",
)

EVIDENCE = (
    "a string of missed deadlines",
    "leaked internal memos",
    "a critical audit report",
    "falling approval ratings",
    "repeated budget overruns",
    "the experience of neighbouring countries",
)

# Per section: things (noun phrases for headlines and prose) and events.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "world": (
        (
            "the ceasefire talks",
            "the border dispute",
            "refugee resettlement",
            "the trade corridor",
            "water rights",
            "the grain deal",
            "sanctions relief",
            "the peace envoy's mission",
            "cross-border rail",
            "the fisheries pact",
            "the election monitors",
            "aid deliveries",
        ),
        ("the summit", "the flooding", "the snap election", "the envoy's visit", "the walkout"),
    ),
    "politics": (
        (
            "the budget bill",
            "electoral reform",
            "the housing package",
            "the pension overhaul",
            "party funding rules",
            "the lobbying register",
            "the coalition agreement",
            "the speed-limit vote",
            "the digital ID scheme",
            "devolution",
            "the tax rebate",
            "the rent cap",
        ),
        (
            "the no-confidence vote",
            "the party conference",
            "the by-election",
            "the leak",
            "the cabinet reshuffle",
        ),
    ),
    "business": (
        (
            "the merger",
            "quarterly earnings",
            "supply chains",
            "the four-day week",
            "energy prices",
            "the bank's rate decision",
            "the takeover bid",
            "shipping costs",
            "the shop-floor strike",
            "green bonds",
            "the retail slump",
            "the start-up visa",
        ),
        ("the profit warning", "the strike", "the rate cut", "the IPO", "the plant closure"),
    ),
    "technology": (
        (
            "the new chip plant",
            "data-protection rules",
            "open-source tooling",
            "the satellite broadband rollout",
            "app-store fees",
            "the outage",
            "battery recycling",
            "facial recognition",
            "right-to-repair laws",
            "the fibre network",
            "e-bike batteries",
            "the password breach",
        ),
        ("the outage", "the hackathon", "the launch", "the recall", "the data breach"),
    ),
    "science": (
        (
            "the clinical trial",
            "the telescope survey",
            "the soil samples",
            "the glacier study",
            "the vaccine booster",
            "the bird census",
            "ocean warming",
            "the fusion experiment",
            "the sleep study",
            "wild bees",
            "the coral nursery",
            "the asteroid flyby",
        ),
        ("the eclipse", "the heatwave", "the discovery", "the expedition", "the launch window"),
    ),
    "culture": (
        (
            "the festival",
            "the restored cinema",
            "the exhibition",
            "the library closure",
            "the opera season",
            "the street-art trail",
            "the book prize",
            "the jazz club",
            "the museum extension",
            "public broadcasting",
            "the film subsidy",
            "the poetry slam",
        ),
        ("the premiere", "the auction", "the reopening", "the award night", "the retrospective"),
    ),
    "sports": (
        (
            "the title race",
            "the transfer window",
            "the new stadium",
            "the youth academy",
            "video refereeing",
            "the marathon route",
            "ticket prices",
            "the women's league",
            "the cycling classic",
            "the relegation fight",
            "the doping inquiry",
            "the derby",
        ),
        ("the derby", "the final", "the cup run", "the qualifier", "the season opener"),
    ),
}

HEADLINES = (
    "{Place} approves {adj} plan for {thing}",
    "Why {thing} matters more than ever",
    "Inside the {adj} fight over {thing}",
    "{Org} faces questions over {thing}",
    "What {event} means for {place}",
    "How {place} got {thing} right",
    "After {event}, {place} turns to {thing}",
    "{Place} split over {thing} as deadline nears",
    "Five things we learned from {event}",
    "The quiet revolution in {thing}",
    "{Place}’s gamble on {thing} pays off — for now",
    "‘We were not consulted’: anger in {place} over {thing}",
    "Is {thing} about to change for good?",
    "{Org} & {place}: a deal on {thing} at last",
)

SENTENCES = (
    "{Official} {said} {time} that {thing} would {outcome}.",
    "Critics argue that {thing} has been {adj_neg} from the start, pointing to {evidence}.",
    "According to figures published by {org}, costs rose by {percent} over the past {period}.",
    "The decision follows months of negotiation in {place}, "
    "where {groups} have long demanded a say.",
    "Not everyone is convinced — {groups} in {place} say the details remain {adj_neg}.",
    "{Org_cap} did not respond to a request for comment.",
    "The proposal, first floated {time}, is expected to reach a vote {future}.",
    "Supporters describe it as {adj} but necessary; opponents call it {adj_neg}.",
    "In {place}, the mood is more {adj} than it was a year ago.",
    "Roughly {number} people attended a public meeting on {thing} {time}.",
    "“This is not the end of the story,” {official} {said}.",
    "Asked whether {thing} could {outcome}, {official} declined to speculate.",
    "The figures suggest {a_adj} shift, although {groups} warn against reading too much into them.",
    "A report by {org} found that {percent} of respondents had changed their plans "
    "because of {thing}.",
    "For {groups}, the question is less about {thing} than about who pays for it.",
    "Officials in {place} have promised an update {future}.",
    "Similar measures were tried in {place2} with mixed results.",
    "The budget for {thing} stands at {money}, up from {money2} two years ago.",
    "Much will depend on whether {org} can keep {groups} on side.",
    "{Official_cap} {said} that the timetable was {adj}, but “entirely achievable”.",
    "Those close to the talks say a compromise on {thing} is within reach.",
    "It is {a_adj} moment for a city that has grown used to waiting.",
    "The next test comes {future}, when {org} publishes its annual review.",
    "Few expected {thing} to dominate the agenda quite so quickly.",
    "Behind the headlines, the numbers tell {a_adj} story: "
    "{number} applications, {number2} approvals.",
    "“We have heard the concerns and we will act on them,” {official} {said}.",
    "Some {groups} have already begun to organise, holding weekly meetings in {place}.",
    "The row has exposed old tensions between {place} and {place2}.",
    "Even so, support for {thing} remains strong among {groups}, polls suggest.",
    "The plan’s fate may ultimately be decided in the courts.",
    "That, at least, is the theory; the practice has proved {adj_neg}.",
    "{Org_cap} said it would publish the full data {future}.",
)

LEDE_OPENERS = (
    "{PLACE} —",
    "{PLACE} (Demo Gazette) —",
)

COMMENT_LINES = (
    "Great piece, thanks for the detailed reporting.",
    "I live in {place} and this matches what we are seeing on the ground.",
    "Who is actually going to pay for this? Nobody ever answers that question.",
    "The article glosses over the role of {org}, in my opinion.",
    "This is the first balanced take on {thing} I have read all week.",
    "Interesting, but the {percent} figure seems high — source?",
    "Same old story. Announce, delay, repeat.",
    "My neighbours and I wrote to the council about exactly this in the spring.",
    "Finally someone mentions {groups}!",
    "I’m not sure the comparison with {place} holds up.",
    "Correction: the vote was on Thursday, not Wednesday.",
    "Thank you — sharing this with our residents’ group.",
    "Sehr guter Artikel, danke!",
    "Très intéressant — merci pour cet article.",
    "Спасибо за статью, очень полезно.",
    "Wouldn’t it be cheaper to fix what we already have?",
    "The comments here are more informative than most TV coverage, ha.",
    "Does anyone know when the consultation closes?",
    "“Entirely achievable” — we’ll see.",
    "This affects {groups} far more than the article suggests.",
    "Q&A session next week at the library, for anyone interested.",
    "Good reporting, but the headline is a bit misleading.",
)

REPLY_LINES = (
    "Agreed, and the same happened last time.",
    "I don’t think that’s quite right — the report says otherwise.",
    "Source is the {org} report linked in the article.",
    "Fair point, I hadn’t considered that.",
    "It closes at the end of the month, I believe.",
    "Exactly. Nobody asked {groups}.",
    "Not sure that’s fair — they did hold two public meetings.",
    "Ha, yes. Déjà vu all over again.",
    "Thanks, that’s helpful.",
    "The vote was definitely on Thursday, I was there.",
)

COMMENTERS: tuple[tuple[str, str | None], ...] = (
    ("Margit K.", None),
    ("dave_from_leeds", None),
    ("José Álvarez", "https://example.net/jose/"),
    ("Søren Madsen", None),
    ("Pat O'Brien", None),
    ("Ingrid", None),
    ("Dr. Amara Nwosu", "https://example.net/~amara/"),
    ("Claire & Tom", None),
    ("Ярослав", None),
    ("Fiona M", None),
    ("Reader from Łódź", None),
    ("Ben Carter", "https://blog.example.com/ben/"),
    ("Henrike", None),
    ("Luis", None),
    ("K. Yamada", None),
    ("Noémie", None),
)

# (quote text, language, English gloss for the paragraph that follows)
FOREIGN_QUOTES: tuple[tuple[str, str, str], ...] = (
    (
        "„Wir haben keine Zeit mehr zu verlieren. Die Straße gehört allen.“",
        "de",
        "We have no more time to lose. The street belongs to everyone.",
    ),
    (
        "« Nous ne reculerons pas, quoi qu’il en coûte. »",
        "fr",
        "We will not back down, whatever it costs.",
    ),
    (
        "«Мы будем продолжать работу, несмотря ни на что».",
        "ru",
        "We will keep working, no matter what.",
    ),
    ("„To dopiero początek — naprawdę.”", "pl", "This is only the beginning — really."),
)

ENGLISH_QUOTES = (
    "“We did not take this decision lightly, and we will not reverse it lightly either.”",
    "“People are tired of promises. They want to see the diggers arrive.”",
    "“If you ask ten experts you will get eleven opinions — that is the problem.”",
    "“It’s a start. It is not, by any stretch, a solution.”",
)

SUBHEADS = (
    "What happens next",
    "A long time coming",
    "The numbers behind the row",
    "Who pays?",
    "Lessons from {place}",
    "A divided city",
    "The view from {place}",
    "Winners and losers",
    "Questions that remain",
    "How we got here",
)

LIST_ITEMS = (
    "{Org_cap} will review {thing} {future}.",
    "The budget rises to {money}.",
    "{Groups} get a formal seat on the advisory board.",
    "A public consultation opens {future}.",
    "Progress reports will be published every quarter.",
    "Existing contracts in {place} remain in force.",
    "An independent panel will audit the figures.",
)

CAPTIONS = (
    "Demonstrators gather outside the town hall in {place} {time}.",
    "A view over {place}, where {thing} has divided opinion.",
    "{Official_cap} speaks to reporters {time}.",
    "Visitors queue in {place} ahead of {event}.",
)

PHOTOGRAPHERS = ("Zoë Brandt", "Tomás Ortega", "Kwame Mensah", "Agency photo", "Handout")

GENERAL_TAGS = ("Analysis", "Explainer", "Europe", "Local news", "Opinion", "Long read")

TAGS: dict[str, tuple[str, ...]] = {
    "world": ("Diplomacy", "Migration", "United Nations", "Climate", "Trade"),
    "politics": ("Elections", "Parliament", "Housing", "Taxes", "Local government"),
    "business": ("Economy", "Energy", "Jobs", "Markets", "Start-ups"),
    "technology": ("AI", "Privacy", "Open source", "Telecoms", "Cybersecurity"),
    "science": ("Climate", "Health", "Space", "Biodiversity", "Research"),
    "culture": ("Film", "Music", "Books", "Museums", "Theatre"),
    "sports": ("Football", "Cycling", "Athletics", "Tennis", "Women's sport"),
}

OFFSITE_LINKS = (
    ("the full report", "https://example.org/reports/2024/annual-review.pdf"),
    ("the consultation page", "https://example.org/consultation/"),
    ("a statement on its website", "https://example.com/press/statement"),
)
