from django import forms

from provenance.models import SourceKind


class SourceProposalForm(forms.Form):
    """A reviewer adds a missing source while citing it; an editor reviews it later."""

    name = forms.CharField(max_length=200, strip=True)
    kind = forms.ChoiceField(choices=SourceKind.choices)


class SourceSearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, strip=True)
