"""Writes for suggestions: computing them, reviewers' answers, editors' settings.

`suggestions_compute` runs in the task queue's worker (queue.py queues it after an import
or a registry change) and in `manage.py compute_suggestions`: it locks the article, and
running it twice changes nothing the second time.
"""

import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from annotations.models import Annotation, Label
from annotations.services import annotation_create
from provenance.bulk import insert_values
from provenance.models import Article, Source, SourceAlias
from provenance.services import source_create, source_find
from provenance.text import clean_name

from .engine.lexicon import EDITABLE_LISTS, Lexicon
from .engine.registry import RegistryEntry, RegistryMatcher, domain_of
from .engine.rules import RULES, SentenceText, Suggester
from .models import (
    CueAction,
    CuePhrase,
    Decision,
    MutingPolicy,
    RuleSetting,
    Suggestion,
    SuggestionDecision,
    SuggestionPreference,
)

_SENTENCE_FIELDS = ("id", "position", "start", "end", "text", "is_boilerplate", "is_heading",
                    "starts_paragraph")


# --- the engine, built from the registry and the editors' cue phrases -----------------------

_engine_lock = threading.Lock()
_engine = {"key": None, "suggester": None}


def _state_key() -> tuple:
    """Changes whenever the registry or the cue phrases do, in any process: a signal tells
    only the process that made the change (receivers.py clears this one's copy at once).
    One query, since it runs for every imported article."""
    tables = {m: connection.ops.quote_name(m._meta.db_table)
              for m in (Source, SourceAlias, CuePhrase)}
    updated = connection.ops.quote_name("updated_at")
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {tables[Source]}),"  # noqa: S608 - table names only
        f" (SELECT MAX({updated}) FROM {tables[Source]}),"
        f" (SELECT COUNT(*) FROM {tables[SourceAlias]}),"
        f" (SELECT MAX(id) FROM {tables[SourceAlias]}),"
        f" (SELECT COUNT(*) FROM {tables[CuePhrase]}), (SELECT MAX(id) FROM {tables[CuePhrase]})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def registry_matcher() -> RegistryMatcher:
    """Every source's name, aliases and homepage domain."""
    entries = {}
    names = []
    for pk, name, kind, homepage in Source.objects.values_list("id", "name", "kind", "homepage"):
        entries[pk] = RegistryEntry(pk, name, kind)
        names.append((name, entries[pk]))
        if homepage and domain_of(homepage):
            names.append((domain_of(homepage), entries[pk]))
    for source_id, alias in SourceAlias.objects.values_list("source_id", "alias"):
        names.append((alias, entries[source_id]))
    return RegistryMatcher(names)


def lexicon() -> Lexicon:
    rows = list(CuePhrase.objects.values_list("list_name", "phrase", "action"))
    return Lexicon.load(
        extra=[(n, p) for n, p, a in rows if a == CueAction.ADD and n in EDITABLE_LISTS],
        removed=[(n, p) for n, p, a in rows if a == CueAction.REMOVE and n in EDITABLE_LISTS],
    )


def suggester() -> Suggester:
    key = _state_key()
    with _engine_lock:
        if _engine["key"] != key:
            _engine["suggester"] = Suggester(lexicon=lexicon(), registry=registry_matcher())
            _engine["key"] = key
        return _engine["suggester"]


def engine_invalidate() -> None:
    with _engine_lock:
        _engine["key"] = None


# --- computing ---------------------------------------------------------------------------

@dataclass
class ComputeResult:
    created: int = 0
    kept: int = 0
    deleted: int = 0


@transaction.atomic
def suggestions_compute(*, article: Article, engine: Suggester | None = None) -> ComputeResult:
    """The article's suggestions, recomputed. Suggestions that come out the same keep
    their rows, and with them the reviewers' accept/dismiss answers."""
    # Two computations of one article (an import and a registry refresh) must not both
    # insert: the second would break the one-per-label constraint. The row lock orders them.
    article = Article.objects.select_for_update().only("id", "body").get(pk=article.pk)
    rows = article.sentences.order_by("position").values_list(*_SENTENCE_FIELDS)
    sentences = [SentenceText(*row) for row in rows]
    proposals = (engine or suggester()).suggest(article.body, sentences)
    wanted = _rows(article.pk, proposals)
    existing = {s.identity(): s for s in Suggestion.objects.filter(article_id=article.pk)}
    result = ComputeResult()
    new, refreshed = [], []
    for s in wanted:
        old = existing.pop(s.identity(), None)
        if old is None:
            new.append(s)
            continue
        result.kept += 1
        if old.source_id != s.source_id or old.explanation != s.explanation:
            old.source_id, old.explanation = s.source_id, s.explanation
            refreshed.append(old)
    if existing:
        result.deleted = len(existing)
        Suggestion.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    if refreshed:
        Suggestion.objects.bulk_update(refreshed, ["source", "explanation"])
    # insert_values, not bulk_create: building a model instance per row cost ~8 ms an
    # article, more than the rules. The constraints still check every row.
    now = timezone.now()
    insert_values(Suggestion, _COLUMNS, [
        (s.article_id, s.sentence_id, s.label, s.rule, s.explanation, s.phrase_start,
         s.phrase_end, s.source_id, s.source_name, now)
        for s in new
    ])
    result.created = len(new)
    return result


_COLUMNS = ["article_id", "sentence_id", "label", "rule", "explanation", "phrase_start",
            "phrase_end", "source_id", "source_name", "created_at"]


def _rows(article_id, proposals) -> list[Suggestion]:
    return [
        Suggestion(
            article_id=article_id, sentence_id=p.sentence_id, label=p.label, rule=p.rule,
            explanation=p.explanation[:300], phrase_start=p.phrase_start,
            phrase_end=p.phrase_end, source_id=p.source_id,
            source_name=p.source_name[:200] if p.label == Label.CITED_SOURCE else "",
        )
        for p in proposals
    ]


def suggestions_refresh_sources(*, names=(), source_ids=()) -> int:
    """Citations that name a changed source resolve to the registry again: a new source or
    alias turns "new source?" into the entry, a deleted one back into "new source?".

    Only the suggestions naming these sources are read, so adding a publisher during an
    import costs one indexed query, not a pass over every citation.
    """
    lowered = sorted({n.lower() for n in names if n})
    condition = Q(source_id__in=list(source_ids))
    if lowered:
        condition |= Q(source_name_lower__in=lowered)
    candidates = list(
        Suggestion.objects.filter(label=Label.CITED_SOURCE)
        .alias(source_name_lower=Lower("source_name"))
        .filter(condition)
    )
    if not candidates:
        return 0
    by_name = {}
    for pk, name in Source.objects.values_list("id", "name"):
        by_name[name.lower()] = pk
    for source_id, alias in SourceAlias.objects.values_list("source_id", "alias"):
        by_name.setdefault(alias.lower(), source_id)
    changed = []
    for s in candidates:
        resolved = by_name.get(s.source_name.lower())
        if resolved != s.source_id:
            s.source_id = resolved
            changed.append(s)
    Suggestion.objects.bulk_update(changed, ["source"])
    return len(changed)


# --- reviewers ---------------------------------------------------------------------------

def _locked(suggestion: Suggestion) -> Suggestion:
    return (Suggestion.objects.select_for_update(of=("self",))
            .select_related("sentence", "source").get(pk=suggestion.pk))


def _check_undecided(suggestion: Suggestion, reviewer) -> None:
    if SuggestionDecision.objects.filter(suggestion=suggestion, reviewer=reviewer).exists():
        raise ValidationError("You have already answered this suggestion.", code="decided")


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, reviewer, source: Source | None = None,
                      note: str = "") -> Annotation:
    """The reviewer's own annotation, through the one write path, with a record of the
    suggestion and rule it came from. A "new source?" citation adds the name to the
    registry for an editor's review, as the workspace does for a source a reviewer types."""
    suggestion = _locked(suggestion)
    _check_undecided(suggestion, reviewer)
    sentence = suggestion.sentence
    if suggestion.label == Label.CITED_SOURCE:
        source = source or suggestion.source or source_find(suggestion.source_name)
        if source is None:
            source = source_create(name=suggestion.source_name, created_by=reviewer,
                                   needs_review=True)
    else:
        source = None
    phrase = None
    if (suggestion.phrase_start is not None
            and sentence.start <= suggestion.phrase_start < suggestion.phrase_end <= sentence.end):
        phrase = (suggestion.phrase_start, suggestion.phrase_end)
    annotation = annotation_create(reviewer=reviewer, sentence=sentence, label=suggestion.label,
                                   phrase=phrase, source=source, note=note)
    SuggestionDecision.objects.create(suggestion=suggestion, reviewer=reviewer,
                                      decision=Decision.ACCEPTED, rule=suggestion.rule,
                                      annotation=annotation)
    return annotation


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, reviewer) -> SuggestionDecision:
    suggestion = _locked(suggestion)
    _check_undecided(suggestion, reviewer)
    return SuggestionDecision.objects.create(suggestion=suggestion, reviewer=reviewer,
                                             decision=Decision.DISMISSED, rule=suggestion.rule)


@dataclass
class AcceptAllResult:
    accepted: list
    skipped: int


@transaction.atomic
def suggestions_accept_label(*, article: Article, label: str, reviewer) -> AcceptAllResult:
    """Accept every suggestion of one label in the article that the reviewer has not
    answered. A sentence the reviewer already labelled so is skipped, not an error: the
    one-live-label rule would refuse it, and the reviewer's own label stands."""
    if label not in Label.values:
        raise ValidationError(f"Unknown label {label!r}.", code="invalid_label")
    pending = list(
        Suggestion.objects.visible().undecided_by(reviewer)
        .filter(article=article, label=label).order_by("sentence__position", "id")
    )
    accepted, skipped = [], 0
    for suggestion in pending:
        try:
            with transaction.atomic():
                accepted.append(suggestion_accept(suggestion=suggestion, reviewer=reviewer))
        except ValidationError:
            skipped += 1
    return AcceptAllResult(accepted, skipped)


def preference_set(*, reviewer, enabled: bool) -> SuggestionPreference:
    preference, _ = SuggestionPreference.objects.update_or_create(
        reviewer=reviewer, defaults={"enabled": bool(enabled)}
    )
    return preference


def suggestions_enabled_for(reviewer) -> bool:
    preference = SuggestionPreference.objects.filter(reviewer=reviewer).first()
    return preference is None or preference.enabled


# --- editors -----------------------------------------------------------------------------

@transaction.atomic
def rule_set_muted(*, rule: str, muted: bool, note: str = "") -> RuleSetting:
    if rule not in RULES:
        raise ValidationError(f"Unknown rule {rule!r}.", code="invalid_rule")
    setting, _ = RuleSetting.objects.select_for_update().get_or_create(rule=rule)
    setting.muted = muted
    setting.muted_automatically = False
    setting.note = note[:300]
    setting.save()
    return setting


def muting_policy() -> MutingPolicy:
    return MutingPolicy.objects.order_by("pk").first() or MutingPolicy()


@transaction.atomic
def rules_apply_muting(*, report) -> list[str]:
    """Mute every rule whose measured precision fell below the editor's threshold, over
    enough decided suggestions to mean something. Returns the rules newly muted. A rule an
    editor unmutes by hand stays unmuted until its figures are computed again."""
    policy = muting_policy()
    if not policy.enabled:
        return []
    newly = []
    for row in report.rules:
        decided = row.tp + row.fp
        if decided < policy.min_decisions or row.precision is None:
            continue
        if row.precision < policy.min_precision:
            setting, _ = RuleSetting.objects.select_for_update().get_or_create(rule=row.rule)
            if not setting.muted:
                setting.muted = True
                setting.muted_automatically = True
                setting.precision_when_muted = row.precision
                setting.note = (f"Muted automatically: precision {row.precision:.2f} below "
                                f"{policy.min_precision:.2f} over {decided} suggestions.")
                setting.save()
                newly.append(row.rule)
    return newly


@transaction.atomic
def cue_phrase_create(*, list_name: str, phrase: str, action: str = CueAction.ADD, by=None,
                      note: str = "") -> CuePhrase:
    """An editor adds a cue phrase to a list, or removes one the data file has."""
    if list_name not in EDITABLE_LISTS:
        raise ValidationError({"list_name": f"Unknown list {list_name!r}."}, code="invalid_list")
    phrase = clean_name(phrase, field="phrase", max_length=100)
    cue = CuePhrase(list_name=list_name, phrase=phrase.lower(), action=action, added_by=by,
                    note=note)
    cue.full_clean()
    cue.save()
    transaction.on_commit(engine_invalidate)
    return cue


@transaction.atomic
def cue_phrase_delete(*, cue: CuePhrase) -> None:
    cue.delete()
    transaction.on_commit(engine_invalidate)


def suggestions_on_import() -> bool:
    return getattr(settings, "PROVENANCE_SUGGESTIONS_ON_IMPORT", True)
