"""Template filters that show personal data masked."""

from django import template

from mosprom.accounts.masking import mask_email as _mask_email
from mosprom.accounts.masking import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_email(value: str) -> str:
    return _mask_email(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(value or "")
