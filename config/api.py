"""The public REST API: one NinjaAPI, one router per context, one error format."""

from ninja import NinjaAPI

from mosprom.analytics.api import router as analytics_router
from mosprom.core.api_errors import install_error_handlers
from mosprom.export.api import router as export_router
from mosprom.games.api import router as games_router
from mosprom.media.api import router as media_router
from mosprom.registry.api import router as registry_router
from mosprom.sez.api import router as sez_router
from mosprom.tourism.api import install_error_handler as install_tourism_error_handler
from mosprom.tourism.api import router as tourism_router
from mosprom.tourism.api_lottery import router as lottery_router

api = NinjaAPI(
    title="Mosprom Platform API",
    version="1",
    description="Открытый API платформы «Открой#Моспром»: реестр предприятий и программа.",
    docs_url="/docs",
    urls_namespace="api",
)
install_error_handlers(api)
install_tourism_error_handler(api)
api.add_router("/", registry_router)
api.add_router("/", tourism_router)
api.add_router("/", lottery_router)
api.add_router("/", games_router)
api.add_router("/", export_router)
api.add_router("/", sez_router)
api.add_router("/", media_router)
api.add_router("/", analytics_router)
