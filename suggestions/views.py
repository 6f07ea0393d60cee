"""The editors' report page: how the rules do against final decisions."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from provenance.roles import is_editor

from . import services
from .engine.rules import RULES
from .report import suggestion_report


@login_required
def report(request):
    if not is_editor(request.user):
        raise PermissionDenied
    data = suggestion_report()
    newly = services.rules_apply_muting(report=data)
    if newly:
        data = suggestion_report()
    return render(request, "suggestions/report.html", {
        "report": data, "newly_muted": [RULES[r].name for r in newly],
        "policy": services.muting_policy(),
    })
