"""Admin widgets that survive the input they are shown again with."""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's autocomplete select, minus its crash on a form shown again: it looks up the
    submitted value (`publisher=" "`, `article=abc`, `10**30`) by primary key to label the
    option, and a value the key cannot read raised ValueError or OverflowError (a 500)
    where the form meant to show "Select a valid choice". Unreadable values are dropped:
    the field's own error still names the problem."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        readable = []
        for item in value:
            try:
                parsed = key.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            if isinstance(parsed, int) and not -(2**63) <= parsed < 2**63:
                continue  # past every database's integers
            readable.append(item)
        return super().optgroups(name, readable, attr)


class SafeAutocomplete:
    """A ModelAdmin mixin: autocomplete_fields rendered with the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site,
                                                  using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
