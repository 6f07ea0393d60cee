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
