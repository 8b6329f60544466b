from django.shortcuts import render


def index(request):
    return render(request, "public_services/index.html")
