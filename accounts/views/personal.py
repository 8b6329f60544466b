from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def personal(request):
    person = request.user.person
    return render(request, "accounts/personal.html", {"person": person})


