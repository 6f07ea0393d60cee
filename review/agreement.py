"""Agreement between reviewers: percent agreement, Cohen's kappa and Krippendorff's alpha.

For one label, each reviewer gives each sentence they reviewed a yes/no answer: yes when
they have a live annotation with that label on it, no when they reviewed it otherwise
(another label, or "no label"). Only content sentences that at least two reviewers
reviewed count, as the codebook's unit is the sentence.

Agreement is computed over each reviewer's own answers as they gave them: verdicts do not
change an answer (a rejected annotation still says what its reviewer thought), and under
independent review (annotations/access.py) a reviewer gives them without seeing anyone
else's until the article is closed, after which a closed article takes no more answers.
Where an editor turned independent review off, the pages and the API say that agreement
there may measure imitation.

The statistics are written out here, small and dependency-free, and checked in the tests
against worked examples from the literature and against the `krippendorff` package.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from annotations import labels
from annotations.models import Annotation, Label, SentenceReview


def percent_agreement(pairs) -> float | None:
    """Share of (a, b) pairs on which two coders agree."""
    pairs = list(pairs)
    if not pairs:
        return None
    return sum(a == b for a, b in pairs) / len(pairs)


def cohens_kappa(pairs) -> float | None:
    """Cohen's kappa for two coders, from a list of (coder1, coder2) values.

    κ = (p_o − p_e) / (1 − p_e), with p_e from each coder's own marginals (Cohen 1960).
    When both coders used one single category throughout, chance agreement is 1 and κ is
    undefined: None, rather than a misleading 0 or 1.
    """
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first.keys() | second.keys()) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(units) -> float | None:
    """Krippendorff's alpha for nominal data.

    `units` is an iterable of lists: the values the coders gave one unit (missing values
    simply left out). Units with fewer than two values are not pairable and are ignored
    (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C).
    α = 1 − D_o / D_e from the coincidence matrix.
    """
    coincidences = defaultdict(float)
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c in counts:
            for k in counts:
                pairs = counts[c] * (counts[k] - (1 if c == k else 0))
                if pairs:
                    coincidences[(c, k)] += pairs / (m - 1)
    n_c = Counter()
    for (c, _k), value in coincidences.items():
        n_c[c] += value
    n = sum(n_c.values())
    if n <= 1:
        return None
    observed_disagreement = sum(v for (c, k), v in coincidences.items() if c != k)
    expected_disagreement = sum(
        n_c[c] * n_c[k] for c in n_c for k in n_c if c != k
    ) / (n - 1)
    if expected_disagreement == 0:
        return None  # every value identical: agreement is perfect but alpha is undefined
    return 1 - observed_disagreement / expected_disagreement


@dataclass
class LabelAgreement:
    label: str
    sentences: int  # content sentences reviewed by at least two of the reviewers
    reviewers: int
    percent: float | None
    kappa: float | None  # only for exactly two reviewers
    alpha: float | None

    @property
    def label_info(self):
        return labels.info(self.label)

    @property
    def label_display(self):
        return self.label_info.name

    @property
    def caption(self):
        return (
            f"Over {self.sentences} content sentence{'s' if self.sentences != 1 else ''} "
            f"reviewed by at least two of {self.reviewers} reviewers"
        )


def reviewed_answers(sentence_qs):
    """{sentence_id: {reviewer_id: set(labels)}} for the content sentences in `sentence_qs`.

    A reviewer appears for a sentence when they have a live annotation or a "no label"
    mark on it; their set is empty for "no label". Two queries, whatever the size.
    """
    answers = defaultdict(dict)
    content = sentence_qs.filter(is_boilerplate=False).values("pk")
    for sentence_id, reviewer_id, label in (
        Annotation.objects.live()
        .filter(sentence__in=content)
        .values_list("sentence_id", "reviewer_id", "label")
    ):
        answers[sentence_id].setdefault(reviewer_id, set()).add(label)
    for sentence_id, reviewer_id in SentenceReview.objects.filter(
        sentence__in=content
    ).values_list("sentence_id", "reviewer_id"):
        answers[sentence_id].setdefault(reviewer_id, set())
    return answers


def label_agreement(answers, *, reviewers=None) -> list[LabelAgreement]:
    """Agreement per label over the sentences at least two of `reviewers` reviewed."""
    if reviewers is not None:
        reviewers = set(reviewers)
        answers = {
            s: {r: labels for r, labels in by.items() if r in reviewers}
            for s, by in answers.items()
        }
    shared = {s: by for s, by in answers.items() if len(by) >= 2}
    everyone = sorted({r for by in shared.values() for r in by})
    results = []
    for label in Label.values:
        units = [[label in labels for labels in by.values()] for by in shared.values()]
        pairs = [
            (a, b)
            for by in shared.values()
            for (_, a), (_, b) in combinations(
                sorted((r, label in labels) for r, labels in by.items()), 2
            )
        ]
        kappa = None
        if len(everyone) == 2:
            first, second = everyone
            kappa = cohens_kappa(
                (label in by[first], label in by[second]) for by in shared.values()
            )
        results.append(
            LabelAgreement(
                label=label,
                sentences=len(shared),
                reviewers=len(everyone),
                percent=percent_agreement(pairs),
                kappa=kappa,
                alpha=krippendorff_alpha_nominal(units),
            )
        )
    return results


def article_agreement(article) -> list[LabelAgreement]:
    return label_agreement(reviewed_answers(article.sentences.all()))


@dataclass
class PairAgreement:
    first: object
    second: object
    label: str
    sentences: int
    percent: float | None
    kappa: float | None
    alpha: float | None

    @property
    def label_info(self):
        return labels.info(self.label)


def pairwise_agreement(sentence_qs, users_by_id) -> list[PairAgreement]:
    """Agreement for every pair of reviewers and every label, over `sentence_qs`."""
    answers = reviewed_answers(sentence_qs)
    reviewer_ids = sorted({r for by in answers.values() for r in by})
    rows = []
    for first, second in combinations(reviewer_ids, 2):
        for result in label_agreement(answers, reviewers=(first, second)):
            if result.sentences == 0:
                continue
            rows.append(
                PairAgreement(
                    first=users_by_id.get(first, first),
                    second=users_by_id.get(second, second),
                    label=result.label,
                    sentences=result.sentences,
                    percent=result.percent,
                    kappa=result.kappa,
                    alpha=result.alpha,
                )
            )
    return rows


def sentences_with_disagreement(answers) -> set[int]:
    """Sentences where the reviewers who reviewed it did not give the same labels."""
    return {
        s for s, by in answers.items()
        if len(by) >= 2 and len({frozenset(labels) for labels in by.values()}) > 1
    }

