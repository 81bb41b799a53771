"""Input types shared by the API's schemas: text that is trimmed, bounded and free of NUL
(PostgreSQL text cannot hold it), so bad input is a 422 with a field error, never a 500."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

# The largest primary key (bigint): an id beyond it is a 422, never a database error.
MAX_ID = 2**63 - 1


def no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Строка не может содержать символ NUL.")
    return value


def api_text(*, min_length: int = 0, max_length: int) -> type[str]:
    """A trimmed string of ``min_length``..``max_length`` characters without NUL."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(no_nul),
    ]
