"""{% label_stylesheet_url %}: labels.css at an address that changes with its contents.

Each version may then be cached for good, and a colour changed in annotations/labels.py
reaches every browser on its next page load.
"""

from django import template
from django.urls import reverse

from annotations import labels

register = template.Library()


@register.simple_tag
def label_stylesheet_url():
    return f"{reverse('annotations:label-styles')}?v={labels.stylesheet_version()}"


@register.filter
def label_name(value):
    """A label's name ("Unverified claim") from its value, so no page shows the code; an
    unknown value (a label since removed) shows as it is."""
    try:
        return labels.info(value).name
    except KeyError:
        return value
