"""The online tours and audience API (``/api/v1/media/…``)."""

from ninja import Router

router = Router(tags=["Онлайн-экскурсии и аудитория"])
