from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.accounts.permissions import role_permissions
from xinyong.publication.choices import ReviewStage
from xinyong.publication.queues import queue_counts
from xinyong.records.choices import RecordStatus
from xinyong.records.selectors import records_visible_to

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = dict(records_visible_to(request.user).values_list("status").annotate(n=Count("id")).order_by())
    by_status = [
        (status.label, counts.get(status.value, 0), status.value) for status in RecordStatus if counts.get(status.value)
    ]
    waiting = queue_counts(request.user)
    return render(
        request,
        "backoffice/home.html",
        {
            "by_status": by_status,
            "total": sum(counts.values()),
            "perms": role_permissions(request.user),
            "review_tiles": [(stage, ReviewStage(stage).label, n) for stage, n in waiting.items()],
        },
    )
