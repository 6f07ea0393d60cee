"""The words the claim rules read, in one reviewed place.

Written from the codebook (what a checkable claim is: events, numbers, intentions, causes,
trends, predictions) and general knowledge of how news copy states figures: what is
measured (trade, exports, a budget), which way it moved, whether it is a target or a
forecast, and who says so. None of it is taken from the seed articles' sentences; every
list is general English or general geography, and is meant to be extended, not fitted.
"""

# Countries and blocs news copy names, with the words that stand for them: demonyms and
# capitals used as metonyms ("Moscow said", "Beijing's exports"). General geography.
PLACES = {
    "china": ["china", "chinese", "beijing", "prc"],
    "russia": ["russia", "russian", "russians", "moscow", "kremlin", "russian federation"],
    "united states": ["united states", "us", "u.s.", "usa", "america", "american", "americans",
                      "washington"],
    "european union": ["european union", "eu", "brussels"],
    "united kingdom": ["united kingdom", "uk", "u.k.", "britain", "british", "london"],
    "ukraine": ["ukraine", "ukrainian", "kyiv", "kiev"],
    "india": ["india", "indian", "new delhi", "delhi"],
    "japan": ["japan", "japanese", "tokyo"],
    "germany": ["germany", "german", "berlin"],
    "france": ["france", "french", "paris"],
    "iran": ["iran", "iranian", "tehran"],
    "north korea": ["north korea", "pyongyang"],
    "south korea": ["south korea", "seoul"],
    "taiwan": ["taiwan", "taiwanese", "taipei"],
    "turkey": ["turkey", "turkish", "ankara"],
    "saudi arabia": ["saudi arabia", "saudi", "riyadh"],
    "brazil": ["brazil", "brazilian", "brasilia"],
    "canada": ["canada", "canadian", "ottawa"],
    "australia": ["australia", "australian", "canberra"],
    "kazakhstan": ["kazakhstan", "kazakh", "astana"],
    "uzbekistan": ["uzbekistan", "uzbek", "tashkent"],
    "mongolia": ["mongolia", "mongolian", "ulaanbaatar"],
    "belarus": ["belarus", "belarusian", "minsk"],
    "pakistan": ["pakistan", "pakistani", "islamabad"],
    "israel": ["israel", "israeli", "jerusalem"],
    "syria": ["syria", "syrian", "damascus"],
    "italy": ["italy", "italian", "rome"],
    "spain": ["spain", "spanish", "madrid"],
    "poland": ["poland", "polish", "warsaw"],
    "norway": ["norway", "norwegian", "oslo"],
    "hong kong": ["hong kong"],
    "singapore": ["singapore"],
    "united arab emirates": ["united arab emirates", "uae", "emirati", "abu dhabi"],
    "nato": ["nato"],
    "europe": ["europe", "european", "europeans"],
    "asia": ["asia", "asian"],
    "west": ["west", "western"],
}

# What a figure measures. Each word maps to (measure, role): a flow's role says which side
# of the verb is the seller, so "Russia imported goods from China" and "China exported goods
# to Russia" are one measure, China → Russia.
MEASURES = {
    # two-sided totals
    "trade": ("trade", "pair"), "traded": ("trade", "pair"), "commerce": ("trade", "pair"),
    "turnover": ("trade", "pair"), "trading": ("trade", "pair"),
    # flows from a seller to a buyer
    "export": ("flow", "seller"), "exports": ("flow", "seller"), "exported": ("flow", "seller"),
    "exporting": ("flow", "seller"), "sold": ("flow", "seller"), "sells": ("flow", "seller"),
    "sales": ("flow", "seller"), "sell": ("flow", "seller"), "supplied": ("flow", "seller"),
    "shipments": ("flow", "seller"), "shipped": ("flow", "seller"),
    "deliveries": ("flow", "seller"), "delivered": ("flow", "seller"),
    "import": ("flow", "buyer"), "imports": ("flow", "buyer"), "imported": ("flow", "buyer"),
    "importing": ("flow", "buyer"), "purchases": ("flow", "buyer"),
    "purchased": ("flow", "buyer"), "bought": ("flow", "buyer"), "buys": ("flow", "buyer"),
    # money of one party
    "investment": ("investment", "one"), "investments": ("investment", "one"),
    "budget": ("budget", "one"), "spending": ("spending", "one"), "spent": ("spending", "one"),
    "revenue": ("revenue", "one"), "revenues": ("revenue", "one"), "income": ("revenue", "one"),
    "gdp": ("gdp", "one"), "economy": ("gdp", "one"), "debt": ("debt", "one"),
    "deficit": ("deficit", "one"), "surplus": ("surplus", "one"), "reserves": ("reserves", "one"),
    "aid": ("aid", "one"), "loan": ("loan", "one"), "loans": ("loan", "one"),
    "cost": ("cost", "one"), "costing": ("cost", "one"), "costs": ("cost", "one"),
    "price": ("price", "one"), "prices": ("price", "one"),
    "deal": ("deal", "one"), "contract": ("deal", "one"),
    "production": ("production", "one"), "output": ("production", "one"),
    "capacity": ("capacity", "one"), "population": ("population", "one"),
    "inflation": ("inflation", "one"), "unemployment": ("unemployment", "one"),
}
# Count nouns ("15 agreements", "38 times" after "met") and the measure each counts.
COUNTED = {
    "agreement": "agreements", "agreements": "agreements", "deals": "agreements",
    "meeting": "meetings", "meetings": "meetings", "summit": "meetings", "summits": "meetings",
    "talks": "meetings", "visit": "visits", "visits": "visits", "trip": "visits",
    "trips": "visits", "troops": "troops", "soldiers": "troops", "deaths": "deaths",
    "people": "people", "casualties": "deaths", "refugees": "refugees", "jobs": "jobs",
    "sanctions": "sanctions", "companies": "companies", "countries": "countries",
    "members": "members",
}
# Verbs that a "N times" count belongs to.
COUNTED_VERBS = {"met": "meetings", "meet": "meetings", "visited": "visits",
                 "spoke": "calls", "talked": "calls", "called": "calls"}

# What is traded, so that gas exports and chip imports are not one measure. "goods" and
# "goods and services" are the whole, not a kind.
GOODS = {
    "gas": "gas", "lng": "gas", "oil": "oil", "crude": "oil", "coal": "coal",
    "energy": "energy", "electricity": "electricity", "fuel": "fuel",
    "grain": "grain", "wheat": "grain", "food": "food", "agricultural": "food",
    "chip": "chips", "chips": "chips", "microchips": "chips", "semiconductors": "chips",
    "semiconductor": "chips", "microprocessors": "chips",
    "tech": "technology", "technology": "technology", "technologies": "technology",
    "telecom": "telecom equipment", "equipment": "equipment",
    "weapons": "weapons", "arms": "weapons", "ammunition": "weapons",
    "drones": "drones", "uav": "drones", "uavs": "drones", "unmanned": "drones",
    "cars": "cars", "vehicles": "cars", "car": "cars",
    "pipeline": "pipeline",
}

# Which way a figure moved.
UP = {"increase", "increased", "increases", "increasing", "rise", "rose", "risen", "rising",
      "grow", "grew", "grown", "growing", "growth", "soar", "soared", "soaring", "climb",
      "climbed", "climbing", "jump", "jumped", "surge", "surged", "gain", "gained", "up",
      "doubled", "tripled", "higher", "boost", "boosted", "expanded", "expansion"}
DOWN = {"decrease", "decreased", "decline", "declined", "declines", "declining", "fall",
        "fell", "fallen", "falling", "drop", "dropped", "plummet", "plummeted", "plunge",
        "plunged", "slump", "slumped", "down", "shrink", "shrank", "lower", "cut", "reduced",
        "contraction", "contracted"}
# Words that make a percentage a change against an earlier period, not a level.
CHANGE_BASES = ("year-on-year", "year on year", "from the previous year", "compared to",
                "compared with", "than a year", "from a year", "over the previous", "y/y",
                "yoy")

# A figure someone aims for, or one foretold, is not an outcome and cannot conflict with one.
TARGET = {"target", "targets", "goal", "goals", "aim", "aims", "aiming", "objective",
          "pledge", "pledged", "commitment", "committed", "intend", "intends", "seeks"}
FORECAST = {"expected", "expects", "forecast", "forecasts", "projected", "predicted",
            "will", "would", "could", "may", "might", "set", "estimate", "estimates",
            "planned", "plans", "likely"}

# Phrases that attribute a statement; the registry names the sources themselves.
ATTRIBUTION_CUES = ("according to", "said", "says", "stated", "told", "reported", "reports",
                    "report from", "report by", "data", "figures", "statistics", "claimed",
                    "announced", "source:", "estimates")

# Negation: a word before a term, or a prefix on it ("unlimited").
NEGATIONS = {"not", "no", "never", "nor", "neither", "without", "none", "n't", "cannot"}
# Words a negation passes over to reach what it negates: auxiliaries, pronouns, articles
# ("nor did he condemn", "is not an ally"). Any other word takes the negation, even one that
# is not a term ("did not think that raising…" negates "think", not "raising").
NEGATION_PASSES = frozenset({
    "a", "an", "the", "any", "do", "does", "did", "is", "are", "was", "were", "be", "been",
    "being", "am", "has", "have", "had", "will", "would", "can", "could", "should", "shall",
    "may", "might", "must", "he", "she", "it", "they", "we", "i", "you", "there", "yet",
    "even", "ever", "also", "only",
})

# English function words, reporting verbs and hedges: they say nothing about what a
# sentence asserts, so claims are not linked by them.
STOPWORDS = frozenset("""
a about above after again against all also although am an and any are as at be because been
before being below between both but by can could did do does doing down during each either
even ever every few for from further had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less let like many may me
might more most much must my myself nor now of off on once one only or other otherwise our
ours ourselves out over own per quite rather same shall she should since so some such than
that the their theirs them themselves then there these they this those though through thus
to too under until up upon us very via was we were what when where whether which while who
whom whose why will with within without would yet you your yours yourself said says say
saying stated state states told tell reported report reports according claimed claims claim
announced announce added noted believe believes think thinks seems seem seemed appears
expected expect likely also already still even really well yet today yesterday now
currently recently week year years month months day days time times first second third last
next two three four five ten mr mrs ms president minister prime deputy foreign leader
leaders country countries nation nations government officials official spokesperson
thousand million billion trillion dollar dollars percent worth
""".split())  # noqa: SIM905 (a word list reads better as text)
