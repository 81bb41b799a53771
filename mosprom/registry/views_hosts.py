from django.http import HttpResponse


def invitation_list(request):  # placeholder, replaced by the accounts work
    return HttpResponse("")


def invitation_accept(request, token):  # placeholder
    return HttpResponse("")
