from django.http import HttpResponse


def import_upload(request):  # placeholder, replaced by the import work
    return HttpResponse("")


def import_preview(request, pk):  # placeholder
    return HttpResponse("")
