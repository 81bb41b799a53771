"""``reverse_one``: the same URL as ``reverse`` in every language and under a script prefix,
and ``reverse`` itself for arguments it cannot simply put in place."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from mosprom.core.links import reverse_one

CASES = [
    ("tourism:experience_detail", 1),
    ("tourism:experience_detail", 987654),
    ("tourism:ticket", "ABCD2345"),
    ("tourism:ticket_qr", "ZZZZ9999"),
    ("tourism:ticket_ics", "a_b-c"),
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(("name", "arg"), CASES)
def test_the_same_url_as_reverse(name, arg, language):
    with translation.override(language):
        assert reverse_one(name, arg) == reverse(name, args=[arg])


def test_under_a_script_prefix():
    try:
        set_script_prefix("/city/")
        assert reverse_one("tourism:ticket", "ABCD2345") == "/city/my/tickets/ABCD2345/"
        assert reverse_one("tourism:ticket", "ABCD2345") == reverse(
            "tourism:ticket", args=["ABCD2345"]
        )
    finally:
        set_script_prefix("/")
    assert reverse_one("tourism:ticket", "ABCD2345") == "/my/tickets/ABCD2345/"


@pytest.mark.parametrize("arg", ["с пробелом", "Ж", "a.b", "a?b"])
def test_other_arguments_go_through_reverse(arg):
    assert reverse_one("tourism:ticket", arg) == reverse("tourism:ticket", args=[arg])


def test_what_reverse_refuses_is_refused():
    with pytest.raises(NoReverseMatch):
        reverse_one("tourism:ticket", "a/b")
    with pytest.raises(NoReverseMatch):
        reverse_one("tourism:experience_detail", -1)
    with pytest.raises(NoReverseMatch):
        reverse_one("tourism:experience_detail", "abc")
