from django.shortcuts import render


def index(request):
    return render(request, "lookup/index.html")


def support(request):
    return render(request, "lookup/support.html")
