"""The claims page: groups of claims across articles, conflicts first, each group's members
side by side; reviewers confirm or split a link, editors merge groups."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from provenance.roles import REVIEWER_GROUP, is_editor

from . import selectors, services
from .models import Claim, ClaimGroup

PAGE_SIZE = 20


def can_decide(user) -> bool:
    """Reviewers and editors judge links; readers of the API do not."""
    return is_editor(user) or user.groups.filter(name=REVIEWER_GROUP).exists()


def _require_decider(request):
    if not can_decide(request.user):
        raise PermissionDenied("Only reviewers and editors judge claim links.")


class GroupFilterForm(forms.Form):
    subject = forms.CharField(required=False, max_length=200)
    article = forms.IntegerField(required=False, min_value=1)
    source = forms.CharField(required=False, max_length=220)
    conflict = forms.ChoiceField(
        required=False, choices=[("", "All groups"), ("yes", "With a conflict"),
                                 ("no", "Without a conflict")],
    )


class DecisionForm(forms.Form):
    claim_a = forms.IntegerField(min_value=1)
    claim_b = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=[("confirm", "Confirm"), ("split", "Split")])
    note = forms.CharField(required=False, max_length=services.NOTE_MAX)
    # The version of the decision the page showed ("" for none): a stale page is refused.
    seen = forms.CharField(required=False, max_length=80)


class MergeForm(forms.Form):
    into = forms.IntegerField(min_value=1, label="Merge into group #")
    note = forms.CharField(required=False, max_length=services.NOTE_MAX)


def _context_for(groups):
    ids = [g.pk for g in groups]
    links = selectors.links_of(ids)
    members = selectors.members_of(ids, links)
    decisions = selectors.decisions_of([m.claim.pk for ms in members.values() for m in ms])
    for g in groups:
        g.members = members.get(g.pk, [])
        by_id = {m.claim.pk: m for m in g.members}
        g.link_rows = [
            {"link": link, "a": by_id.get(link.claim_a_id), "b": by_id.get(link.claim_b_id),
             "decision": decisions.get((link.claim_a_id, link.claim_b_id))}
            for link in links.get(g.pk, [])
        ]
    return groups


@login_required
def group_list(request):
    form = GroupFilterForm(request.GET or None)
    groups = selectors.groups_list()
    if form.is_valid():
        data = form.cleaned_data
        conflict = {"yes": True, "no": False}.get(data["conflict"])
        groups = selectors.filter_groups(groups, subject=data["subject"],
                                         article=data["article"], source=data["source"],
                                         conflict=conflict)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "crossclaims/group_list.html", {
        "form": form, "page": page, "groups": _context_for(list(page.object_list)),
        "page_query": f"{query.urlencode()}&" if query else "",
        "can_decide": can_decide(request.user), "is_editor": is_editor(request.user),
        "total_conflicts": ClaimGroup.objects.filter(has_conflict=True).count(),
    })


@login_required
def group_detail(request, pk):
    return _detail(request, get_object_or_404(ClaimGroup, pk=pk))


def _detail(request, group, *, status=200):
    return render(request, "crossclaims/group_detail.html", {
        "group": _context_for([group])[0], "can_decide": can_decide(request.user),
        "is_editor": is_editor(request.user), "merge_form": MergeForm(),
    }, status=status)


@require_POST
@login_required
def link_decide(request, pk):
    _require_decider(request)
    group = get_object_or_404(ClaimGroup, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That decision was incomplete; nothing was changed.")
        return redirect(group)
    data = form.cleaned_data
    claims = {c.pk: c for c in Claim.objects.filter(pk__in=[data["claim_a"], data["claim_b"]],
                                                    group=group)}
    if len(claims) != 2:
        messages.error(request, "These claims are no longer both in this group.")
        return redirect(group)
    action = services.link_confirm if data["decision"] == "confirm" else services.link_split
    try:
        action(claim_a=claims[data["claim_a"]], claim_b=claims[data["claim_b"]],
               by=request.user, note=data["note"],
               seen=data["seen"] if "seen" in request.POST else None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if exc.code == "stale":
            return _detail(request, group, status=409)
        return redirect(group)
    messages.success(request, "Link confirmed." if data["decision"] == "confirm"
                     else "Link split: the two claims are no longer grouped together.")
    if ClaimGroup.objects.filter(pk=group.pk).exists():
        return redirect(group)
    return redirect("crossclaims:group-list")


@require_POST
@login_required
def group_merge(request, pk):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors merge groups.")
    group = get_object_or_404(ClaimGroup, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of the group to merge into.")
        return redirect(group)
    into = ClaimGroup.objects.filter(pk=form.cleaned_data["into"]).first()
    if into is None:
        messages.error(request, f"There is no group #{form.cleaned_data['into']}.")
        return redirect(group)
    try:
        merged = services.groups_merge(group=group, into=into, by=request.user,
                                       note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(group)
    messages.success(request, f"Group #{group.pk} merged into #{merged.pk}.")
    return redirect(merged)
