"""The workspace endpoints' inputs. Shape checks only: the services decide what makes sense
(a phrase inside its sentence, a source only on a citation), so every writer gets the same
answer."""

from django import forms

from provenance.models import Source, SourceKind

from .labels import Label


class AnnotationEditForm(forms.Form):
    label = forms.ChoiceField(choices=Label.choices)
    note = forms.CharField(max_length=5000, required=False, strip=False)
    source = forms.ModelChoiceField(queryset=Source.objects.all(), required=False)


class AnnotationForm(AnnotationEditForm):
    phrase_start = forms.IntegerField(min_value=0, required=False)
    phrase_end = forms.IntegerField(min_value=0, required=False)
    # The words the reviewer selected: the service refuses the phrase if its offsets point
    # at other text, instead of saving a highlight the reviewer never made.
    quote = forms.CharField(required=False, strip=False)

    def phrase(self):
        start, end = self.cleaned_data["phrase_start"], self.cleaned_data["phrase_end"]
        return None if start is None and end is None else (start, end)


class BoundaryForm(forms.Form):
    """A join: the sentence's offsets as the page showed them, so that a join sent twice
    (two tabs, a double submit) is refused rather than joining a third sentence."""

    start = forms.IntegerField(min_value=0, help_text="The sentence's start, as shown.")
    end = forms.IntegerField(min_value=0, help_text="The sentence's end, as shown.")

    def expected(self):
        return self.cleaned_data["start"], self.cleaned_data["end"]


class SplitForm(BoundaryForm):
    at = forms.IntegerField(min_value=0, help_text="Absolute offset into the article body.")


class SourceProposalForm(forms.Form):
    """A reviewer adds a missing source while citing it; an editor reviews it later."""

    name = forms.CharField(max_length=200, strip=True)
    kind = forms.ChoiceField(choices=SourceKind.choices)


class SourceSearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, strip=True)
