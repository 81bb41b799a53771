"""Shared base models."""

from django.db import models

from mosprom.core import clock


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("создано", default=clock.now, editable=False)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True
