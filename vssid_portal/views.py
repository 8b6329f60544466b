"""Pages that belong to the whole portal: the home page and the CSRF failure page (Django's own
renders without the request, so without the portal's header and language). The 400, 403 and 404
pages are Django's handlers rendering the portal's templates."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
