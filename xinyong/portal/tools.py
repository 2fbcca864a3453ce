from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def check_code(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/check_code.html", {})
