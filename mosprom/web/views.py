from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from mosprom.accounts.decorators import organiser_required
from mosprom.registry import selectors as registry_selectors
from mosprom.tourism import selectors as tourism_selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "registry_stats": registry_selectors.registry_stats(),
            "upcoming_sessions": tourism_selectors.upcoming_sessions(limit=6),
        },
    )


@organiser_required
def backoffice(request: HttpRequest) -> HttpResponse:
    return render(request, "web/backoffice.html")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
