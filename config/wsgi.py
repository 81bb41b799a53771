import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import the URLconf (every view and API module) now, while the worker boots, not in the
# first request it serves: in a registration rush each worker's first request would
# otherwise spend seconds importing (docs/PERFORMANCE.md).
from config.warm import warm_up  # noqa: E402

warm_up()
