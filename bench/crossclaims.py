"""Claims across articles: how well the rules group the seeds, and how long grouping takes
at scale.

    python -m bench.crossclaims seeds            # precision, recall, conflicts on the seeds
    python -m bench.crossclaims eval             # the same on the second gold (17 articles)
    python -m bench.crossclaims scale [--claims 100000] [--seed 7]

`scale` builds its claims from the seeds' own: each generated claim is a seed claim (its
measure, unit, wording and roots) given another pair of countries, another article, year
and value (most within rounding of one another, some far off, so groups have conflicts to
find), then times `crossclaims.grouping.group` on one core. The rules run as in the app:
the same function the services call.
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "crossclaims" / "seeds_gold.json"
# Three same-story pairs among the suggestions' 17 evaluation articles, the rest distractors.
EVAL_GOLD = ROOT / "tests" / "data" / "crossclaims" / "eval_gold.json"

PLACES = ["china", "russia", "india", "japan", "brazil", "canada", "germany", "france",
          "turkey", "iran", "united states", "european union", "united kingdom", "australia",
          "kazakhstan", "mongolia", "pakistan", "saudi arabia", "south korea", "spain"]


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PROVENANCE_IGNORE_DOTENV", "1")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def seed_claims():
    """The seeds' claims, extracted as the app extracts them (importer's sentences)."""
    _django()
    from crossclaims.extraction import SentenceText, article_context, extract_claims
    from provenance.ingestion.boilerplate import classify
    from provenance.ingestion.segment import normalise, segment

    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        body = normalise(path.read_text(encoding="utf-8"))
        segments = segment(body)
        reasons = classify(segments)
        content = [SentenceText(s.start, s.text, s.starts_paragraph, s.is_heading)
                   for s, reason in zip(segments, reasons, strict=True) if not reason]
        boilerplate = [s.text for s, reason in zip(segments, reasons, strict=True) if reason]
        context = article_context(content, boilerplate=boilerplate)
        out += extract_claims(content, context)
    return out


def generate(n: int, rng: random.Random):
    from crossclaims.grouping import Record

    base = seed_claims()
    quantities = [c for c in base if c.kind == "quantity" and c.measure]
    assertions = [c for c in base if c.kind == "assertion"]
    articles = max(1, n // 8)
    records = []
    for i in range(1, n + 1):
        parties = tuple(sorted(rng.sample(PLACES, 2)))
        article = rng.randrange(articles)
        if rng.random() < 0.7:
            c = rng.choice(quantities)
            measure, goods, _, dimension = c.measure.split("|")
            value = c.value
            if value is not None:
                # Most repeat a figure within its rounding; one in ten is far off.
                value *= rng.uniform(0.5, 1.5) if rng.random() < 0.1 else 1.0
            year = rng.randrange(2015, 2025)
            spread = 0 if value is None else max(abs(value) * 0.005, 0.5)
            records.append(Record(
                i, article, "quantity", "|".join([measure, goods, ",".join(parties), dimension]),
                (), parties, value, None if value is None else value - spread,
                None if value is None else value + spread, c.direction, c.status,
                f"{year}-01-01", f"{year}-12-31",
            ))
        else:
            c = rng.choice(assertions)
            terms = list(c.terms)
            rng.shuffle(terms)
            keep = terms[: max(3, int(len(terms) * rng.uniform(0.6, 1.0)))]
            records.append(Record(i, article, "assertion", "", tuple(keep), parties))
    return records


def scale(args):
    from crossclaims import grouping

    rng = random.Random(args.seed)
    started = time.perf_counter()
    records = generate(args.claims, rng)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    result = grouping.group(records)
    seconds = time.perf_counter() - started
    conflicts = sum(link.relation == grouping.CONFLICTS for link in result.links)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"claims: {len(records):,} ({sum(r.kind == 'quantity' for r in records):,} quantities,"
          f" {sum(r.kind == 'assertion' for r in records):,} assertions), generated in "
          f"{generated:.1f} s")
    print(f"grouping: {seconds:.1f} s on one core; {len(result.clusters):,} groups, "
          f"{len(result.links):,} links, {conflicts:,} conflicting pairs; "
          f"peak memory {peak:,.0f} MB")
    return seconds


def seeds(args):
    return measure(SEEDS, GOLD, verbose=True)


def held_out(args):
    gold = json.loads(EVAL_GOLD.read_text(encoding="utf-8"))
    return measure(ROOT / gold["corpus"], EVAL_GOLD, verbose=args.verbose)


def measure(corpus: Path, gold_path: Path, *, verbose=True):
    """Import `corpus` into a throwaway database, build the groups as the command does and
    score them against `gold_path`."""
    # A throwaway in-memory database: the measurement never touches db.sqlite3.
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"
    _django()
    from django.core.management import call_command
    from django.db import connection

    from crossclaims import evaluation
    from crossclaims.models import Claim, ClaimGroup, ClaimLink
    from provenance.models import Article

    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("import_articles", str(corpus), quiet=True)
    call_command("build_claim_groups", stdout=open(os.devnull, "w"))  # noqa: SIM115
    gold = evaluation.load_gold(gold_path)
    sentences = {Path(a.origin).name: list(a.sentences.values_list("position", "text"))
                 for a in Article.objects.all()}
    where = {c.pk: (Path(c.article.origin).name, c.sentence.position)
             for c in Claim.objects.select_related("article", "sentence")}
    groups = {g.pk: [where[pk] for pk in g.claims.values_list("pk", flat=True)]
              for g in ClaimGroup.objects.all()}
    conflicts = [(where[a], where[b]) for a, b in ClaimLink.objects.filter(
        relation="conflicts").values_list("claim_a_id", "claim_b_id")]
    s = evaluation.score(gold, sentences, list(groups.values()), conflicts)
    print(f"claims: {Claim.objects.count()} ({Claim.objects.filter(kind='quantity').count()} "
          f"quantities); groups: {len(groups)}")
    print(f"pairwise precision {s.precision:.2f} ({s.correct_pairs}/{s.found_pairs}), recall "
          f"{s.recall:.2f} ({s.correct_pairs}/{s.gold_pairs}); conflict flagged: "
          f"{'yes' if s.conflict_flagged else 'no'}; false conflicts: {s.false_conflicts}")
    if not verbose:
        return s
    for g in ClaimGroup.objects.conflicts_first():
        print(f"\n#{g.pk} {g.subject}{'  [CONFLICT]' if g.has_conflict else ''}")
        for c in g.claims.select_related("article", "sentence").order_by("article__origin"):
            text = c.as_written if c.kind == "quantity" else c.as_written[:90]
            print(f"   {Path(c.article.origin).stem[-6:]} s{c.sentence.position:<3} {text}")
    print("\nmissed pairs:")
    for a, b in s.missed_pairs:
        print(f"   {Path(a[0]).stem[-6:]} s{a[1]} — {Path(b[0]).stem[-6:]} s{b[1]}")
    return s


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.crossclaims")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seeds")
    p = sub.add_parser("eval")
    p.add_argument("--verbose", action="store_true")
    p = sub.add_parser("scale")
    p.add_argument("--claims", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    return {"seeds": seeds, "eval": held_out, "scale": scale}[args.command](args)


if __name__ == "__main__":
    main()
