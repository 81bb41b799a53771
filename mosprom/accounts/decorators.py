"""View decorators for the roles. The object-level checks live in the selectors."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def _role_required(check):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


organiser_required = _role_required(lambda user: user.is_organiser)
admin_required = _role_required(lambda user: user.is_admin)
host_required = _role_required(lambda user: user.is_host or user.is_organiser)
