"""The home page: what needs the person now, by role (``dashboard.selectors``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def home(request):
    return render(request, "dashboard/home.html", {"home": selectors.home(request.user)})
