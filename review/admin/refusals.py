"""Admin pages whose saves go through services: what the admin needs to show a service's
refusal as form errors, and to hand the row a service wrote back to the admin."""

from django.core.exceptions import ValidationError
from django.db import transaction


class ServiceRefusalsAsFormErrors:
    """For admin pages whose saves go through services.

    The admin validates its forms, then saves; a service can still refuse (it alone sees
    every source's names, and what another editor committed meanwhile). Its ValidationError
    rolls the whole save back, and the page is shown again with the message on the field
    it names, as for any invalid form, instead of a 500.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A POST runs in one transaction (ModelAdmin.changeform_view): the exception
        # leaving it rolls back everything the save wrote.
        view = super().changeform_view
        return _show_refusal(view, request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The history page's "revert" saves through save_model too.
        view = super().history_form_view
        return _show_refusal(view, request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        return form if refusal is None else _refused(form, refusal)


def _show_refusal(view, request, *args):
    """Run the admin view in a transaction; if a service refuses the save, roll it all
    back and run the view again with a form that carries the refusal (see get_form),
    which shows it as the form's errors."""
    if request.method != "POST":
        return view(request, *args)
    try:
        with transaction.atomic():
            return view(request, *args)
    except ValidationError as refusal:
        request._service_refusal = refusal
        return view(request, *args)


def _refused(form_class, refusal: ValidationError):
    """`form_class`, failing validation with the service's messages."""
    by_field = refusal.message_dict if hasattr(refusal, "error_dict") else {
        None: refusal.messages
    }

    class Refused(form_class):
        def clean(self):
            data = super().clean()
            for field, said in by_field.items():
                self.add_error(field if field in self.fields else None, said)
            return data

    return Refused


def copy_row(row, into) -> None:
    """Make the admin's unsaved instance the row a service wrote, for the admin's log
    entry, message and redirect (deferred fields, such as an article's body, stay as
    they are: the service did not change them)."""
    deferred = row.get_deferred_fields()
    for f in row._meta.concrete_fields:
        if f.attname not in deferred:
            setattr(into, f.attname, getattr(row, f.attname))
    into._state.adding, into._state.db = False, row._state.db
