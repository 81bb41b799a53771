"""The registry's REST API: enterprises, production sites, products.

Reads are public. Writes need an API token (``Authorization: Bearer mp_…``): organisers
create and change enterprises; organisers and the enterprise's hosts add and delete its sites
and products. The permission checks live in ``selectors``/``services``; errors are shaped by
``mosprom.core.api_errors``.
"""

from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from mosprom.accounts.api_auth import token_auth
from mosprom.core.api_types import MAX_ID
from mosprom.registry import selectors, services
from mosprom.registry.models import Enterprise, Product, ProductionSite
from mosprom.registry.schemas import (
    EnterpriseFilters,
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePatch,
    MessageOut,
    ProductIn,
    ProductOut,
    SiteIn,
    SiteOut,
    ValidationErrorOut,
)

router = Router(tags=["registry"])

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, description="Идентификатор")]

READ_ERRORS: dict[int, Any] = {422: ValidationErrorOut}
ONE_ERRORS: dict[int, Any] = {404: MessageOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    400: MessageOut,
    401: MessageOut,
    403: MessageOut,
    404: MessageOut,
    422: ValidationErrorOut,
}


class Pagination(LimitOffsetPagination):
    """``limit`` (1–100, 20 by default) and ``offset``; the answer carries ``count``."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100, description="Сколько записей вернуть")
        offset: int = Field(0, ge=0, le=10**9, description="Сколько записей пропустить")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=100, **kwargs)


def _user(request: HttpRequest):
    return request.auth  # set by token_auth


# --- Reads ----------------------------------------------------------------------------------


@router.get(
    "/enterprises",
    response={200: list[EnterpriseOut], **READ_ERRORS},
    summary="Предприятия реестра",
    description=(
        "Поиск и фильтры — как в каталоге на сайте. С параметром q сначала идут лучшие "
        "совпадения: формы слов («заводы» найдёт «завод»), опечатки в названиях."
    ),
    operation_id="enterprise_list",
)
@paginate(Pagination)
def enterprise_list(
    request: HttpRequest, filters: Query[EnterpriseFilters]
) -> QuerySet[Enterprise]:
    return selectors.enterprise_search(
        q=filters.q,
        industry=filters.industry,
        okrug=filters.okrug.value if filters.okrug else None,
        sez=filters.sez,
        hosts_tours=filters.hosts_tours,
    )


@router.get(
    "/enterprises/{id}",
    response={200: EnterpriseOut, **ONE_ERRORS},
    summary="Предприятие",
    operation_id="enterprise_read",
)
def enterprise_read(request: HttpRequest, id: ObjectId):
    return selectors.enterprise_get(pk=id)


@router.get(
    "/enterprises/{id}/sites",
    response={200: list[SiteOut], **ONE_ERRORS},
    summary="Площадки предприятия",
    operation_id="enterprise_site_list",
)
@paginate(Pagination)
def enterprise_site_list(request: HttpRequest, id: ObjectId) -> QuerySet[ProductionSite]:
    return selectors.site_list(enterprise_id=id)


@router.get(
    "/enterprises/{id}/products",
    response={200: list[ProductOut], **ONE_ERRORS},
    summary="Продукция предприятия",
    operation_id="enterprise_product_list",
)
@paginate(Pagination)
def enterprise_product_list(request: HttpRequest, id: ObjectId) -> QuerySet[Product]:
    return selectors.product_list(enterprise_id=id)


@router.get(
    "/sites",
    response={200: list[SiteOut], **READ_ERRORS},
    summary="Все производственные площадки",
    operation_id="site_list",
)
@paginate(Pagination)
def site_list(request: HttpRequest) -> QuerySet[ProductionSite]:
    return selectors.site_list()


@router.get(
    "/products",
    response={200: list[ProductOut], **READ_ERRORS},
    summary="Вся продукция",
    operation_id="product_list",
)
@paginate(Pagination)
def product_list(request: HttpRequest) -> QuerySet[Product]:
    return selectors.product_list()


# --- Writes ---------------------------------------------------------------------------------


@router.post(
    "/enterprises",
    auth=token_auth,
    response={201: EnterpriseOut, 409: ValidationErrorOut, **WRITE_ERRORS},
    summary="Добавить предприятие (организаторы)",
    operation_id="enterprise_create",
)
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    enterprise = services.enterprise_create(
        actor=_user(request), data=payload.model_dump(mode="python")
    )
    return Status(201, selectors.enterprise_get(pk=enterprise.pk))


@router.patch(
    "/enterprises/{id}",
    auth=token_auth,
    response={200: EnterpriseOut, 409: ValidationErrorOut, **WRITE_ERRORS},
    summary="Изменить предприятие (организаторы)",
    operation_id="enterprise_update",
)
def enterprise_update(request: HttpRequest, id: ObjectId, payload: EnterprisePatch):
    enterprise = Enterprise.objects.get(pk=id)
    services.enterprise_update(
        actor=_user(request), enterprise=enterprise, data=payload.model_dump(exclude_unset=True)
    )
    return Status(200, selectors.enterprise_get(pk=id))


@router.post(
    "/enterprises/{id}/sites",
    auth=token_auth,
    response={201: SiteOut, **WRITE_ERRORS},
    summary="Добавить площадку (организаторы и представители предприятия)",
    operation_id="site_create",
)
def site_create(request: HttpRequest, id: ObjectId, payload: SiteIn):
    enterprise = selectors.enterprise_for_management(user=_user(request), pk=id)
    site = services.site_create(
        actor=_user(request), enterprise=enterprise, data=payload.model_dump()
    )
    return Status(201, site)


@router.post(
    "/enterprises/{id}/products",
    auth=token_auth,
    response={201: ProductOut, **WRITE_ERRORS},
    summary="Добавить продукцию (организаторы и представители предприятия)",
    operation_id="product_create",
)
def product_create(request: HttpRequest, id: ObjectId, payload: ProductIn):
    enterprise = selectors.enterprise_for_management(user=_user(request), pk=id)
    product = services.product_create(
        actor=_user(request), enterprise=enterprise, data=payload.model_dump()
    )
    return Status(201, product)


@router.delete(
    "/sites/{id}",
    auth=token_auth,
    response={204: None, **WRITE_ERRORS},
    summary="Удалить площадку (организаторы и представители предприятия)",
    operation_id="site_delete",
)
def site_delete(request: HttpRequest, id: ObjectId):
    site = ProductionSite.objects.select_related("enterprise").get(pk=id)
    services.site_delete(actor=_user(request), site=site)
    return Status(204, None)


@router.delete(
    "/products/{id}",
    auth=token_auth,
    response={204: None, **WRITE_ERRORS},
    summary="Удалить продукцию (организаторы и представители предприятия)",
    operation_id="product_delete",
)
def product_delete(request: HttpRequest, id: ObjectId):
    product = Product.objects.select_related("enterprise").get(pk=id)
    services.product_delete(actor=_user(request), product=product)
    return Status(204, None)
