"""One step of the benchmark inside Django, in its own process: `python -m bench.stage TASK`.

The database comes from DATABASE_URL, as for the app, so each size and engine gets a
process of its own and settings never have to be swapped under a running Django. Results
go to the JSON file named by --out.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def task_load(args) -> dict:
    """Migrate an empty database and load one size of the corpus into it."""
    from django.core.management import call_command

    from . import corpus, load

    call_command("migrate", verbosity=0, interactive=False)
    size = corpus.SIZES[args.size]
    rng = random.Random(f"{args.seed}-{size.name}")
    started = time.perf_counter()
    specs_sources = corpus.registry(size, rng)
    specs = corpus.articles(size, rng, specs_sources)

    def progress(counts):
        if args.verbose:
            print(f"  {size.name}: {counts['articles']:,} articles, "
                  f"{counts['annotations']:,} annotations", file=sys.stderr, flush=True)

    with load.timestamps_as_given():
        users = load.make_users(size)
        sources = load.load_registry(specs_sources, users["bench-editor"])
        counts = load.load_articles(
            specs, size=size, rng=rng, users=users, sources=sources,
            annotations_total=0 if args.no_annotations else size.annotations,
            progress=progress,
        )
        load.memoise_segmentation()
        from provenance.ingestion.services import build_sentences

        long_spec = corpus.long_article(
            random.Random(f"{args.seed}-long"), lambda t: len(build_sentences(t))
        )
        long_counts = load.load_articles(
            [long_spec], size=size, rng=random.Random(f"{args.seed}-long"), users=users,
            sources=sources,
            annotations_total=0 if args.no_annotations else corpus.LONG_ARTICLE_ANNOTATIONS,
            origin_prefix="bench-long",
        )
    load.analyse()
    loaded_in = time.perf_counter() - started
    checks = load.verify()
    return {
        "size": size.name,
        "load_seconds": round(loaded_in, 1),
        "counts": _table_counts(),
        "long_article": _long_article(long_counts),
        "checks": checks,
        "manifest": _manifest(args.seed, users),
        "articles_loaded": counts["articles"],
    }


def _table_counts() -> dict:
    from django.contrib.auth import get_user_model

    from annotations.models import Annotation
    from provenance.models import Article, Sentence, Source, SourceAlias
    from review.models import Assignment

    models = {
        "articles": Article, "sentences": Sentence, "annotations": Annotation,
        "assignments": Assignment, "sources": Source, "source_aliases": SourceAlias,
        "users": get_user_model(),
    }
    out = {name: m.objects.count() for name, m in models.items()}
    out["annotation_history"] = Annotation.history.count()
    out["live_annotations"] = Annotation.objects.live().count()
    return out


def _long_article(counts) -> dict:
    from annotations.models import Annotation
    from provenance.models import Article

    article = Article.objects.get(origin__startswith="bench-long/")
    return {
        "id": article.pk,
        "sentences": article.sentences.count(),
        "annotations": Annotation.objects.filter(sentence__article=article).count(),
    }


def _manifest(seed, users) -> dict:
    """What the HTTP figures need: tokens, filter values, sentences free to annotate."""
    from django.db.models import Count

    from annotations.models import Annotation
    from provenance.models import Sentence

    from . import corpus

    rng = random.Random(f"{seed}-manifest")
    tokens = {u.username: u.auth_token.key for u in users.values()}
    ids = list(
        Sentence.objects.filter(is_boilerplate=False).order_by("id").values_list("id", flat=True)
    )
    top_source = (
        Annotation.objects.live().exclude(source=None).values("source_id")
        .annotate(n=Count("id")).order_by("-n").first()
    )
    return {
        "tokens": tokens,
        "password": corpus.PASSWORD,
        "content_sentences": rng.sample(ids, min(len(ids), 20_000)),
        "filters": {
            "label": "cited_source",
            "source": top_source["source_id"] if top_source else None,
            "reviewer": "reviewer01",
            # In ~2% of sentences, like a real search term ("China" is in a third of this
            # corpus, which is about Russia and China).
            "q": "nuclear",
        },
    }


def task_import(args) -> dict:
    """import_articles on the S corpus against pysbd alone on the same texts."""
    from . import corpus

    size = corpus.SIZES[args.size]
    rng = random.Random(f"{args.seed}-{size.name}")
    specs = corpus.articles(size, rng, corpus.registry(size, rng))[: args.limit]
    folder = _import_folder(specs)
    texts = [spec.text for spec in specs]
    pysbd_alone = _pysbd_timer(texts)
    # Each is timed twice, alternating, and the faster run counts: on a shared machine a
    # burst of someone else's work would otherwise decide the ratio.
    runs = {"serial": {}}
    if _has_option("import_articles", "workers"):
        runs["workers2"] = {"workers": 2}
    pysbd_runs, import_runs = [], {name: [] for name in runs}
    for _ in range(2):
        pysbd_runs.append(pysbd_alone())
        for name, options in runs.items():
            import_runs[name].append(_import_once(folder, options))
    return _import_figures(len(texts), min(pysbd_runs), import_runs)


def _import_folder(specs) -> Path:
    """The specs as a folder of .txt files with their metadata.json."""
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    metadata = {}
    for spec in specs:
        (folder / f"{spec.key}.txt").write_text(spec.text)
        metadata[f"{spec.key}.txt"] = {"title": spec.title, "published_on": spec.published_on}
    (folder / "metadata.json").write_text(json.dumps(metadata))
    return folder


def _pysbd_timer(texts):
    """A function timing pysbd alone over `texts`: (wall, CPU, sentences)."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    segmenter.segment(texts[0])  # warm up

    def pysbd_alone():
        t0, c0 = time.perf_counter(), time.process_time()
        n = sum(len(segmenter.segment(text)) for text in texts)
        return time.perf_counter() - t0, time.process_time() - c0, n

    return pysbd_alone


def _import_once(folder, options):
    """import_articles of `folder` into an emptied corpus: (wall, CPU) seconds."""
    from django.core.management import call_command

    from provenance.models import Article, Sentence

    call_command("migrate", verbosity=0, interactive=False)
    Sentence.objects.all().delete()
    Article.objects.all().delete()
    Article.history.all().delete()
    Sentence.history.all().delete()
    t0, c0 = time.perf_counter(), time.process_time()
    call_command("import_articles", str(folder), quiet=True, stdout=_Null(), **options)
    return time.perf_counter() - t0, time.process_time() - c0


def _import_figures(articles, pysbd_run, import_runs) -> dict:
    from provenance.models import Sentence

    pysbd_seconds, pysbd_cpu, pysbd_sentences = pysbd_run
    sentences = Sentence.objects.count()
    # CPU seconds as well as wall seconds: the CPU ratio says how much the database work
    # adds in this process (it leaves out the PostgreSQL server's own CPU).
    out = {"articles": articles, "pysbd_seconds": round(pysbd_seconds, 3),
           "pysbd_cpu_seconds": round(pysbd_cpu, 3), "pysbd_sentences": pysbd_sentences}
    for name, timings in import_runs.items():
        seconds, cpu = min(timings)
        out[name] = {
            "seconds": round(seconds, 3),
            "articles_per_s": round(articles / seconds, 1),
            "sentences_per_s": round(sentences / seconds, 1),
            "ratio_to_pysbd": round(seconds / pysbd_seconds, 3),
            "cpu_ratio_to_pysbd": round(cpu / pysbd_cpu, 3) if name == "serial" else None,
        }
    if "workers2" in out:
        out["workers2"]["speedup"] = round(out["serial"]["seconds"] / out["workers2"]["seconds"], 2)
    return out


def _has_option(command, option) -> bool:
    from django.core.management import load_command_class

    cmd = load_command_class("provenance", command)
    parser = cmd.create_parser("manage.py", command)
    return any(option in a.dest for a in parser._actions)


class _Null:
    def write(self, *_):
        pass

    def flush(self):
        pass


def task_workspace(args) -> dict:
    """Server render time and query count of the long article's pages, in-process: the
    workspace as a reviewer (under independent review, their own annotations) and as an
    editor (everyone's 2,000), and the adjudication page (editor). CPU time is reported
    beside wall time: on a shared machine the wall clock also measures the neighbours."""
    from django.urls import NoReverseMatch, reverse

    import config.wsgi  # noqa: F401 (the heap as the server's workers have it: frozen start-up)

    article_id = args.article
    try:
        url = reverse("annotations:article-review", args=[article_id])
    except NoReverseMatch:
        return {"status": "n/a (not built yet)"}
    out = _page_figures(url, "bench-browser", args.repeat)
    out["editor"] = _page_figures(url, "bench-editor", args.repeat)
    try:
        adjudicate = reverse("review:adjudicate", args=[article_id])
    except NoReverseMatch:
        out["adjudication"] = {"status": "n/a (not built yet)"}
    else:
        out["adjudication"] = _page_figures(adjudicate, "bench-editor", args.repeat)
    return out


def _page_figures(url, username, repeat) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    if response.status_code != 200:
        return {"status": f"error: HTTP {response.status_code}"}
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            b"".join(response) if response.streaming else response.content
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    cpu_figures = percentiles(cpu)
    return {"url": url, "user": username, "queries": len(queries),
            "bytes": len(response.content), **percentiles(times),
            "cpu_p50_ms": cpu_figures.get("p50_ms"), "cpu_p95_ms": cpu_figures.get("p95_ms")}


def percentiles(ms: list[float]) -> dict:
    if not ms:
        return {"n": 0}
    ordered = sorted(ms)
    def pick(p):
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)
    return {"n": len(ms), "p50_ms": round(statistics.median(ordered), 2), "p95_ms": pick(0.95)}


def task_check_writes(args) -> dict:
    """Every write the load test saw acknowledged is in the database, at least that new."""
    from annotations.models import Annotation

    acked = {int(k): v for k, v in json.loads(Path(args.input).read_text()).items()}
    found = dict(Annotation.objects.filter(pk__in=acked).values_list("pk", "version"))
    lost = [pk for pk, version in acked.items() if found.get(pk, 0) < version]
    return {"acknowledged": len(acked), "found": len(acked) - len(lost), "lost": len(lost)}


def task_import_annotations(args) -> dict:
    """import_annotations restoring an export into this database (same articles, no annotations)."""
    from django.core.management import call_command, get_commands

    from annotations.models import Annotation

    if "import_annotations" not in get_commands():
        return {"status": "n/a (not built yet)"}
    before = Annotation.objects.count()
    t0 = time.perf_counter()
    call_command("import_annotations", args.input, stdout=_Null(), stderr=_Null())
    seconds = time.perf_counter() - t0
    restored = Annotation.objects.count() - before
    return {"annotations": restored, "seconds": round(seconds, 2),
            "annotations_per_s": round(restored / seconds) if seconds else None}


def task_users(args) -> dict:
    """Migrate an empty database, create the benchmark's accounts (and a registry); tokens."""
    from django.core.management import call_command

    from . import corpus, load

    call_command("migrate", verbosity=0, interactive=False)
    size = corpus.Size("users", articles=0, annotations=0, reviewers=args.reviewers, sources=0)
    users = load.make_users(size)
    if args.input:  # and the source registry: a JSON list of corpus.SourceSpec fields
        specs = [corpus.SourceSpec(**spec) for spec in json.loads(Path(args.input).read_text())]
        load.load_registry(specs, users["bench-editor"])
    return {"tokens": {u.username: u.auth_token.key for u in users.values()}}


TASKS = {
    "users": task_users, "load": task_load, "import": task_import, "workspace": task_workspace,
    "check_writes": task_check_writes, "import_annotations": task_import_annotations,
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.stage")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--size", default="S")
    parser.add_argument("--seed", default="provenance")
    parser.add_argument("--out", required=True)
    parser.add_argument("--article", type=int)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--limit", type=int, default=None, help="import: this many articles")
    parser.add_argument("--input", help="A file the task reads (writes to check, an export).")
    parser.add_argument("--no-annotations", action="store_true",
                        help="load: articles, sources and users only (a restore target).")
    parser.add_argument("--reviewers", type=int, default=3, help="users: how many")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    _django()
    result = TASKS[args.task](args)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
