"""Reads of the registry: headline counts, the public catalogue search, enterprise pages.

Search has two engines. On PostgreSQL (production) it is full-text search with the
``russian`` configuration (so «заводы» finds «завод») OR trigram word similarity on the
names (so «Микрн» finds «Микрон»), ranked by text rank and then similarity; every piece of
the match is an indexed sub-select (migration 0004). On SQLite (the embedded mode) it is a
fallback: SQLite's LIKE folds case only for ASCII, so each query word is looked up in a few
spellings (as typed, lower case, capitalised, upper case) after crude stemming of Russian
endings. The fallback is good enough for a demo database, not for 4,600 enterprises.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Min, Q, QuerySet, Value
from django.db.models.functions import Greatest

from mosprom.core import clock
from mosprom.registry.models import (
    Enterprise,
    Industry,
    Membership,
    Product,
    ProductionSite,
    SEZStatus,
)
from mosprom.registry.okrugs import Okrug

# Above this trigram word similarity a name counts as a (misspelt) match. pg_trgm's own
# default for the indexable ``%>`` operator is 0.6; the search uses that operator.
NAME_SIMILARITY_FOR_SUGGESTIONS = 0.3
MAX_QUERY_LENGTH = 200


class SEZFilter:
    """Values of the «ОЭЗ» filter."""

    RESIDENT = "resident"
    LOCATED = "located"
    MEMBER = "member"
    CHOICES = (RESIDENT, LOCATED, MEMBER)


def registry_stats() -> dict[str, int]:
    """Headline counts of the registry, in one query."""
    return Enterprise.objects.aggregate(
        enterprises=Count("id"),
        hosting=Count("id", filter=Q(hosts_tours=True)),
        sez_residents=Count("id", filter=Q(sez_membership__status=SEZStatus.RESIDENT)),
    )


def enterprises_on(*, day: dt.date) -> int:
    """Enterprises in the registry at the end of ``day`` (Moscow time), in one query."""
    return Enterprise.objects.filter(
        created_at__lt=clock.start_of_day(day + dt.timedelta(days=1))
    ).count()


def registry_since() -> dt.date | None:
    """The day the first enterprise was entered (the registry's records start there)."""
    first = Enterprise.objects.aggregate(first=Min("created_at"))["first"]
    return clock.localtime(first).date() if first else None


def clean_query(q: str | None) -> str:
    """The search text as the engines want it: no NULs, single spaces, bounded length."""
    text = (q or "").replace("\x00", " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# The document of an enterprise. Migration 0004 indexes exactly this expression (GIN), so it
# must stay the same here and there.
def _enterprise_document() -> SearchVector:
    return (
        SearchVector("short_name", weight="A", config="russian")
        + SearchVector("legal_name", weight="B", config="russian")
        + SearchVector("description", weight="C", config="russian")
    )


def _pg_search(qs: QuerySet[Enterprise], q: str) -> QuerySet[Enterprise]:
    query = SearchQuery(q, config="russian", search_type="websearch")
    by_text = Enterprise.objects.annotate(document=_enterprise_document()).filter(document=query)
    by_product = Product.objects.annotate(document=SearchVector("name", config="russian")).filter(
        document=query
    )
    by_name = Enterprise.objects.filter(
        Q(short_name__trigram_word_similar=q) | Q(legal_name__trigram_word_similar=q)
    )
    # Each branch is an indexed sub-select that PostgreSQL runs once and hashes; the rank is
    # then computed for the matching rows only.
    return (
        qs.filter(
            Q(pk__in=by_text.values("pk"))
            | Q(pk__in=by_product.values("enterprise_id"))
            | Q(pk__in=by_name.values("pk"))
        )
        .annotate(
            rank=SearchRank(_enterprise_document(), query),
            similarity=Greatest(
                TrigramWordSimilarity(Value(q), "short_name"),
                TrigramWordSimilarity(Value(q), "legal_name"),
            ),
        )
        .order_by("-rank", "-similarity", "short_name", "id")
    )


# Crude Russian stemming for the SQLite fallback: longest endings first.
_ENDINGS = sorted(
    [
        *("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими"),
        *("ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее", "ые", "ие"),
        *("ам", "ям", "ах", "ях", "ом", "ем", "ов", "ев", "ую", "юю"),
        *("а", "я", "о", "е", "ы", "и", "у", "ю", "ь"),
    ],
    key=len,
    reverse=True,
)


def crude_stem(word: str) -> str:
    """The word without a usual Russian ending, kept at least four letters long."""
    word = word.lower()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _spellings(stem: str) -> set[str]:
    return {stem, stem.lower(), stem.capitalize(), stem.upper()}


_WORD = re.compile(r"\w+", re.UNICODE)


def _fallback_search(qs: QuerySet[Enterprise], q: str) -> QuerySet[Enterprise]:
    words = _WORD.findall(q)[:8]
    if not words:
        return qs.none()
    for word in words:
        stem = crude_stem(word)
        # Fleeting vowels (игрушки → игрушек): a long stem also matches without its last letter.
        stems = {stem, stem[:-1]} if len(stem) >= 6 else {stem}
        spellings = {spelling for st in stems for spelling in _spellings(st)}
        in_enterprise, in_product = Q(), Q()
        for spelling in spellings:
            in_enterprise |= (
                Q(short_name__icontains=spelling)
                | Q(legal_name__icontains=spelling)
                | Q(description__icontains=spelling)
            )
            in_product |= Q(name__icontains=spelling)
        by_product = Product.objects.filter(in_product).values("enterprise_id")
        qs = qs.filter(in_enterprise | Q(pk__in=by_product))
    return qs


def enterprise_search(
    *,
    q: str = "",
    industry: str | None = None,
    okrug: str | None = None,
    sez: str | None = None,
    hosts_tours: bool = False,
) -> QuerySet[Enterprise]:
    """Public enterprises matching the text and every given filter, best matches first.

    The rows come with industry and SEZ membership joined, so a page of them costs one query.
    """
    qs = Enterprise.objects.select_related("industry", "sez_membership__zone")
    if industry:
        qs = qs.filter(industry__code=industry)
    if okrug:
        qs = qs.filter(okrug=okrug)
    if sez == SEZFilter.RESIDENT:
        qs = qs.filter(sez_membership__status=SEZStatus.RESIDENT)
    elif sez == SEZFilter.LOCATED:
        qs = qs.filter(sez_membership__status=SEZStatus.LOCATED)
    elif sez == SEZFilter.MEMBER:
        qs = qs.filter(sez_membership__isnull=False)
    if hosts_tours:
        qs = qs.filter(hosts_tours=True)
    q = clean_query(q)
    if not q:
        return qs.order_by("short_name", "id")
    if _is_postgresql():
        return _pg_search(qs, q)
    return _fallback_search(qs, q).order_by("short_name", "id")


def enterprise_get(*, pk: int) -> Enterprise:
    """One enterprise for its public page, with sites, products and SEZ membership loaded.

    Raises ``Enterprise.DoesNotExist`` when there is no such enterprise.
    """
    return (
        Enterprise.objects.select_related("industry", "sez_membership__zone")
        .prefetch_related("sites", "products")
        .get(pk=pk)
    )


def _of_enterprise(qs: QuerySet, enterprise_id: int | None) -> QuerySet:
    """``qs`` (rows with an enterprise and a name), of one enterprise if given, stably ordered."""
    if enterprise_id is not None:
        if not Enterprise.objects.filter(pk=enterprise_id).exists():
            raise Enterprise.DoesNotExist(f"no enterprise {enterprise_id}")
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.order_by("enterprise_id", "name", "id")


def site_list(*, enterprise_id: int | None = None) -> QuerySet[ProductionSite]:
    """Production sites, all or of one enterprise, in a stable order.

    Raises ``Enterprise.DoesNotExist`` when ``enterprise_id`` names no enterprise.
    """
    return _of_enterprise(ProductionSite.objects.all(), enterprise_id)


def product_list(*, enterprise_id: int | None = None) -> QuerySet[Product]:
    """Products, all or of one enterprise, in a stable order.

    Raises ``Enterprise.DoesNotExist`` when ``enterprise_id`` names no enterprise.
    """
    return _of_enterprise(Product.objects.all(), enterprise_id)


def industries_in_use() -> QuerySet[Industry]:
    """Industries that at least one enterprise belongs to, for the catalogue's filter."""
    return (
        Industry.objects.annotate(n=Count("enterprises"))
        .filter(n__gt=0)
        .order_by("code")
        .only("code", "name")
    )


@dataclass(frozen=True)
class Suggestions:
    """What to offer when a search finds nothing."""

    names: list[Enterprise]
    industries: list[Industry]


def search_suggestions(*, q: str, limit: int = 5) -> Suggestions:
    """Enterprises whose names are closest to ``q``, and the industries with most enterprises."""
    q = clean_query(q)
    names: list[Enterprise] = []
    if q and _is_postgresql():
        names = list(
            Enterprise.objects.annotate(
                similarity=Greatest(
                    TrigramWordSimilarity(Value(q), "short_name"),
                    TrigramWordSimilarity(Value(q), "legal_name"),
                )
            )
            .filter(similarity__gte=NAME_SIMILARITY_FOR_SUGGESTIONS)
            .order_by("-similarity", "short_name")
            .only("id", "short_name")[:limit]
        )
    elif q:
        # The embedded database is small: compare names in Python.
        pairs = list(Enterprise.objects.values_list("id", "short_name"))
        by_name = {name.lower(): (pk, name) for pk, name in pairs}
        close = difflib.get_close_matches(q.lower(), list(by_name), n=limit, cutoff=0.5)
        names = [Enterprise(id=by_name[c][0], short_name=by_name[c][1]) for c in close]
    industries = list(
        Industry.objects.annotate(n=Count("enterprises"))
        .filter(n__gt=0)
        .order_by("-n", "code")
        .only("code", "name")[:limit]
    )
    return Suggestions(names=names, industries=industries)


def user_can_manage_enterprise(*, user, enterprise: Enterprise) -> bool:
    """Organisers manage every enterprise; a host manages the ones they are a member of."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_organiser:
        return True
    return (
        user.is_host and Membership.objects.filter(user=user, enterprise_id=enterprise.pk).exists()
    )


def enterprise_for_management(*, user, pk: int) -> Enterprise:
    """The enterprise ``pk`` if ``user`` may change its sites and products.

    Raises ``Enterprise.DoesNotExist`` for an unknown id, ``PermissionDenied`` otherwise.
    """
    enterprise = Enterprise.objects.get(pk=pk)
    if not user_can_manage_enterprise(user=user, enterprise=enterprise):
        raise PermissionDenied
    return enterprise


def okrug_label(code: str) -> str:
    """The okrug's name for its code in the active language, or the empty string."""
    try:
        return str(Okrug(code).label)
    except ValueError:
        return ""
