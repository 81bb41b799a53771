"""Open data: the KPI catalogue, values with comparisons, CSV (``/api/v1/kpi…``)."""

from ninja import Router

router = Router(tags=["Показатели программы"])
