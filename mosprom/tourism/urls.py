"""Tourism URLs: the public side (urls_public) and the hosts' and organisers' side (urls_host)."""

from mosprom.tourism import urls_host, urls_public

app_name = "tourism"

urlpatterns = [*urls_public.urlpatterns, *urls_host.urlpatterns]
