"""Helpers for hostile-input tests: what a refused request must leave behind (nothing)."""

import hashlib

from django.apps import apps


def _tracked_models():
    return [
        model for model in apps.get_models()
        if model._meta.app_label in {"provenance", "annotations", "review"}
    ]


def database_fingerprint() -> dict:
    """Row count and a checksum of every row of every app table (history included), so a
    test can assert that a refused request wrote nothing at all."""
    fingerprint = {}
    for model in _tracked_models():
        rows = list(model._base_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode("utf-8", "surrogatepass")).hexdigest()
        fingerprint[model._meta.label] = (len(rows), digest)
    return fingerprint


def nested(depth: int, inner="x") -> str:
    """JSON text nested `depth` arrays deep: what crashed the parsers with RecursionError."""
    return "[" * depth + f'"{inner}"' + "]" * depth


class Tally:
    """How many generated hostile inputs a run tried, and how many answered 5xx or wrote
    although refused; printed in the terminal summary (tests/conftest.py) and, with
    HOSTILE_TALLY_FILE set, written there as JSON."""

    def __init__(self):
        self.tried = self.server_errors = self.wrote = 0
        self.by_target = {}

    def record(self, label, *, server_error, wrote):
        self.tried += 1
        self.server_errors += bool(server_error)
        self.wrote += bool(wrote)
        self.by_target[label] = self.by_target.get(label, 0) + 1

    def summary(self) -> str:
        return (f"hostile inputs tried: {self.tried} over {len(self.by_target)} targets; "
                f"answered 5xx: {self.server_errors}; refused but wrote: {self.wrote}")


TALLY = Tally()
