"""The adjudication endpoints' inputs. Shape checks only: the services decide what makes
sense, so the page, the API and the admin get the same answers."""

from django import forms

from annotations.models import Label, Status


class VerdictForm(forms.Form):
    status = forms.ChoiceField(
        choices=Status.choices, error_messages={"required": "Choose accept or reject."}
    )
    reason = forms.CharField(max_length=5000, required=False, strip=False)


class ETagsField(forms.Field):
    """Annotations as the ETags they were drawn with ("id-version", quotes optional)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Select at least one annotation first (x, or its box).",
        "invalid": "%(value)r is not an annotation's ETag.",
    }

    def to_python(self, value):
        pairs = []
        for item in value or []:
            pk, _, version = str(item).strip().removeprefix("W/").strip('"').partition("-")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": item}
                )
            pairs.append((int(pk), int(version)))
        return pairs


class BulkVerdictForm(VerdictForm):
    # A bulk verdict is refused, whole, when any selected annotation changed meanwhile.
    annotation = ETagsField()


class DecisionForm(forms.Form):
    # No label at all is a decision too: "no label".
    label = forms.MultipleChoiceField(choices=Label.choices, required=False)
    note = forms.CharField(max_length=5000, required=False, strip=False)
