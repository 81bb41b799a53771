from django.conf import settings


def site(request):
    """What every page's layout needs."""
    return {
        "SITE_NAME": "Открой#Моспром",
        "SITE_URL": settings.SITE_URL,
        "DISPLAY_CACHE_SECONDS": settings.DISPLAY_CACHE_SECONDS,
    }
