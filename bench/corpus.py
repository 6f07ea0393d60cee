"""The benchmark corpus: texts, a source registry and reviewers, deterministic from a seed.

No database and no Django here, so the same plan can be written to files (for the real
importer) or loaded in bulk (see load.py). Texts are recombined paragraphs (lines) of the
seed articles: every line is real copy, so segmentation, headings and boilerplate behave
as they do on the seeds, and no two generated texts are the same.
"""

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Size:
    name: str
    articles: int
    annotations: int
    reviewers: int
    sources: int


SIZES = {
    "S": Size("S", articles=100, annotations=2_000, reviewers=6, sources=200),
    "M": Size("M", articles=2_000, annotations=40_000, reviewers=12, sources=1_000),
    "L": Size("L", articles=20_000, annotations=1_000_000, reviewers=36, sources=3_000),
}
# Codebook practice on the seeds: unsourced claims are the most common label, then
# hype, then named sources.
LABEL_MIX = (("unverified_claim", 0.45), ("sensational_framing", 0.30), ("cited_source", 0.25))
PASSWORD = "bench-only-password"  # bench users, in throwaway databases on 127.0.0.1 only
LOAD_REVIEWERS = 20  # the load test's simulated reviewers
PHRASE_SHARE = 0.4  # annotations that mark a phrase rather than the whole sentence
NOTE_SHARE = 0.15
ACCEPTED_SHARE, REJECTED_SHARE, DELETED_SHARE = 0.15, 0.05, 0.03
# The workspace figure's article (issue 7): 500 sentences, 2,000 annotations.
LONG_ARTICLE_SENTENCES = 500
LONG_ARTICLE_ANNOTATIONS = 2_000


@dataclass
class SourceSpec:
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    reliability: str = "unrated"


@dataclass
class ArticleSpec:
    key: str  # stable across runs: "S-00042"
    title: str
    text: str
    publisher: str = ""  # a registry name, or "" for none
    published_on: str = ""


def seed_lines() -> tuple[list[str], list[str]]:
    """(headlines, body lines) of the seed articles, in file order."""
    metadata = json.loads((SEEDS / "metadata.json").read_text())
    headlines, lines = [], []
    for path in sorted(SEEDS.glob("*.txt")):
        rows = [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]
        headlines.append(metadata.get(path.name, {}).get("title") or rows[0])
        lines.extend(rows[1:])
    return headlines, lines


# Words for registry names. Places multiply with every template, so a few thousand
# distinct names come out of short lists.
_PLACE_A = ["Brook", "Clear", "Harbour", "North", "Ash", "Oak", "Silver", "Red", "Stone",
            "Green", "East", "West", "Fair", "Glen", "Lake", "River", "Mill", "Rose", "King",
            "Queen", "Black", "White", "Elm", "Pine", "Iron", "Gold", "High", "Low"]
_PLACE_B = ["haven", "water", "field", "ford", "bridge", "dale", "ton", "wood", "vale", "port",
            "mouth", "ridge", "stead", "wick", "bury", "combe"]
_FIRST = ["Dana", "Priya", "Lee", "Marta", "Ivan", "Chen", "Amara", "Tomas", "Nadia", "Omar",
          "Sofia", "Ken", "Ruth", "Felix", "Ines", "Yusuf", "Hana", "Pavel", "Lucia", "Sam"]
_LAST = ["Ruiz", "Shah", "Okafor", "Novak", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Kowalski",
         "Mensah", "Costa", "Ivanova", "Byrne", "Larsen", "Petrov", "Sato", "Ferreira", "Osei",
         "Keller", "Duarte"]
_TEMPLATES = {
    "news_outlet": ["{p} Gazette", "{p} Herald", "{p} Times", "{p} Post", "{p} Courier",
                    "{p} Chronicle", "{p} Observer", "{p} Tribune", "The {p} Daily"],
    "wire_agency": ["{p} Press Agency", "{p} News Service", "{p} Wire"],
    "government_body": ["{p} City Council", "{p} Transit Authority", "{p} Statistics Office",
                        "Ministry of Trade of {p}", "{p} Port Authority", "{p} Audit Office"],
    "official_person": ["{f} {l}"],
    "think_tank_or_ngo": ["{p} Institute", "{l} Foundation", "Centre for {p} Studies",
                          "University of {p}"],
    "data_source": ["{p} census data", "{p} League attendance figures", "{p} trade statistics"],
    "company": ["{p} Energy", "{p} Holdings", "{l} Group", "{p} Logistics"],
    "social_or_video": ["{p} Channel", "{f} {l} Live"],
    "other": ["{p} Residents Association", "{l} Family Trust"],
}
_KIND_MIX = [("news_outlet", 0.25), ("wire_agency", 0.05), ("government_body", 0.18),
             ("official_person", 0.2), ("think_tank_or_ngo", 0.1), ("data_source", 0.06),
             ("company", 0.1), ("social_or_video", 0.04), ("other", 0.02)]
_RELIABILITY = [("unrated", 0.5), ("high", 0.2), ("mixed", 0.2), ("low", 0.1)]


def _pick(rng, weighted):
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def registry(size: Size, rng: random.Random) -> list[SourceSpec]:
    """`size.sources` distinct sources, about half with one or two aliases.

    Names and aliases are unique case-insensitively across both, as the database and
    source_create require.
    """
    taken: set[str] = set()
    sources: list[SourceSpec] = []
    while len(sources) < size.sources:
        kind = _pick(rng, _KIND_MIX)
        place = rng.choice(_PLACE_A) + rng.choice(_PLACE_B)
        name = rng.choice(_TEMPLATES[kind]).format(
            p=place, f=rng.choice(_FIRST), l=rng.choice(_LAST)
        )
        if name.lower() in taken:
            continue
        taken.add(name.lower())
        spec = SourceSpec(name=name, kind=kind, reliability=_pick(rng, _RELIABILITY))
        if rng.random() < 0.5:
            words = name.split()
            candidates = [
                "".join(w[0] for w in words if w[0].isupper()),  # BTA
                name.removeprefix("The ") + " (online)",
                f"{name} Ltd" if kind == "company" else f"the {name}",
            ]
            for alias in rng.sample(candidates, rng.choice([1, 2])):
                if len(alias) > 2 and alias.lower() not in taken:
                    taken.add(alias.lower())
                    spec.aliases.append(alias)
        sources.append(spec)
    return sources


def articles(size: Size, rng: random.Random, sources: list[SourceSpec]) -> list[ArticleSpec]:
    """`size.articles` distinct texts: a seed headline, then 15 to 30 recombined seed lines."""
    headlines, lines = seed_lines()
    outlets = [s.name for s in sources if s.kind in ("news_outlet", "wire_agency")]
    seen: set[str] = set()
    specs: list[ArticleSpec] = []
    while len(specs) < size.articles:
        body_lines = rng.sample(lines, rng.randint(15, 30))
        headline = rng.choice(headlines)
        text = "\n".join([headline, *body_lines]) + "\n"
        if text in seen:
            continue
        seen.add(text)
        n = len(specs) + 1
        specs.append(
            ArticleSpec(
                key=f"{size.name}-{n:05d}",
                title=headline,
                text=text,
                publisher=rng.choice(outlets) if outlets and rng.random() < 0.7 else "",
                published_on=f"20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}",
            )
        )
    return specs


def long_article(rng: random.Random, count_sentences) -> ArticleSpec:
    """An article of exactly LONG_ARTICLE_SENTENCES sentences (when the seeds allow).

    `count_sentences(text)` is the importer's own segmentation, passed in so this module
    stays free of Django. The importer segments line by line, so a text's count is the sum
    of its lines' counts: whole lines are added while they fit, then single sentences, each
    on a line of its own, fill the rest.
    """
    headlines, lines = seed_lines()
    pool = list(lines)
    rng.shuffle(pool)
    chosen, total = [headlines[0]], count_sentences(headlines[0])
    for line in pool * 20:
        n = count_sentences(line)
        if total + n > LONG_ARTICLE_SENTENCES:
            break
        chosen.append(line)
        total += n
    for line in pool:
        for part in line.split(". "):
            if total >= LONG_ARTICLE_SENTENCES:
                break
            part = part.strip().rstrip(".") + "."
            n = count_sentences(part)
            if total + n <= LONG_ARTICLE_SENTENCES:
                chosen.append(part)
                total += n
    return ArticleSpec(key="long-500", title=headlines[0], text=_join(chosen))


def _join(lines):
    return "\n".join(lines) + "\n"


def pick_label(rng: random.Random) -> str:
    return _pick(rng, LABEL_MIX)
