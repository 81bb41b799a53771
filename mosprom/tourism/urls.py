"""Tourism URLs: the public side (urls_public), the hosts' and organisers' side (urls_host) and
the ticket's files (urls_files)."""

from mosprom.tourism import urls_files, urls_host, urls_lottery, urls_public

app_name = "tourism"

urlpatterns = [
    *urls_public.urlpatterns,
    *urls_host.urlpatterns,
    *urls_files.urlpatterns,
    *urls_lottery.urlpatterns,
]
