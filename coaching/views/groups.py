"""A coach's groups of athletes: list and create, rename and set members, delete.

Groups are the coach's own (someone else's group is a 404) and hold only athletes the coach
may see now (``GroupForm`` offers ``coached_athletes()`` and nothing else).
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import coach_required
from coaching.forms import GroupForm
from coaching.models import Group


def get_own_group(request, pk):
    return get_object_or_404(Group.objects.of(request.user), pk=pk)


def with_member_counts(groups, coach):
    """Each group with ``member_count``: its athletes the coach may see now (one query)."""
    visible = coach.coached_athletes().values("pk")
    return groups.annotate(
        member_count=Count("athletes", filter=Q(athletes__in=visible), distinct=True)
    )


@never_cache
@require_http_methods(["GET", "POST"])
@coach_required
def group_list(request):
    """The coach's groups, and the form for a new one (POST creates it)."""
    form = GroupForm(request.POST or None, coach=request.user)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Group “%(name)s” created.") % {"name": group.name})
        return redirect("coaching:group_list")
    groups = with_member_counts(Group.objects.of(request.user), request.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coaching/group_list.html", {"groups": groups, "form": form}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
@coach_required
def group_edit(request, pk):
    group = get_own_group(request, pk)
    form = GroupForm(request.POST or None, instance=group, coach=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("coaching:group_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coaching/group_form.html", {"group": group, "form": form}, status=status
    )


@never_cache
@require_POST
@coach_required
def group_delete(request, pk):
    """Deleting a group leaves its athletes and their calendars as they are."""
    group = get_own_group(request, pk)
    group.delete()
    messages.info(request, _("Group “%(name)s” deleted.") % {"name": group.name})
    return redirect("coaching:group_list")
