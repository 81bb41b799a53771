from django.http import HttpResponse


def enterprise_list(request):  # placeholder, replaced by the catalogue work
    return HttpResponse("")


def enterprise_detail(request, pk):  # placeholder
    return HttpResponse("")
