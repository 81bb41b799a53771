"""Querysets compiled once per process, for the few reads on the hottest request path.

Compiling a ``select_related`` queryset into SQL costs more CPU than running it: in the
registration rush (docs/PERFORMANCE.md) the session read with its five related models took a
fifth of a booking's time, most of it building the same SQL again. A ``PreparedQuery`` builds
the queryset once per database alias with a *sentinel* in place of the one value that changes
(a primary key, a token hash), keeps the SQL and the compiler's column layout, and per call
only swaps the value in, runs the SQL and builds the instances the way Django's own
``ModelIterable`` does (same ``from_db``, same related populators, same converters), so the
objects are what ``queryset.first()`` would return.

It relies on the compiler's ``select``/``klass_info`` layout and ``get_related_populators``,
which are internal to Django: ``core/tests/test_prepared.py`` compares every prepared query
with the ORM's own answer, so an upgrade that changes them fails there, not in production.

``first_with`` runs two such reads as one statement (one round trip, one statement for
PostgreSQL to execute): the booking endpoint reads the caller's token and the session it books
together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import _get_from_db, get_related_populators

# "Not read here": a value no read returns (a read finds an instance or None).
NOT_READ = object()

# How a ``wrap`` ends its statement: the found row is the answer.
ANSWER = "SELECT * FROM found"


@dataclass
class _Compiled:
    sql: str
    params: tuple
    slot: int
    compiler: Any
    converters: dict
    init_list: list[str]
    start: int
    end: int
    from_db: Callable
    populators: list
    width: int  # columns in a row
    pk_column: int  # where the root model's primary key is in a row
    wrapped: bool  # its SQL is a ``wrap``'s: ``WITH found(…) AS (…), …`` ending with ANSWER


class PreparedQuery:
    """``PreparedQuery(lambda value: Model.objects.select_related(…).filter(key=value),
    sentinel=…)``; ``first(value)`` returns the instance or None.

    The sentinel must appear exactly once among the compiled query's parameters and never as
    a real value (e.g. a negative primary key, a string no hash can be).
    """

    def __init__(
        self,
        build: Callable[[Any], QuerySet],
        *,
        sentinel: Any,
        wrap: Callable[[str, dict[str, str]], str] | None = None,
    ) -> None:
        """``wrap(with_found, columns)``, if given, completes ``WITH found(c0, c1, …) AS
        (<the compiled SELECT>)`` into a statement that ends with ``ANSWER`` (``SELECT * FROM
        found``) and may also write (more CTEs); ``columns`` names the root model's columns
        (attname → ``cN``). Parameters it adds come after the query's, given to
        ``first(…, extra=…)``."""
        self.build = build
        self.sentinel = sentinel
        self.wrap = wrap

    def _compile(self, alias: str) -> _Compiled:
        queryset = self.build(self.sentinel).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = [i for i, param in enumerate(params) if param == self.sentinel]
        if len(slots) != 1:
            raise ValueError(f"the sentinel must appear once in the query's parameters: {params}")
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        if self.wrap is not None:
            names = _names("c", compiler.col_count)
            sql = self.wrap(
                _with("found", names, sql), dict(zip(init_list, names[start:end], strict=True))
            )
        fetch_mode = queryset._fetch_mode
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slot=slots[0],
            compiler=compiler,
            converters=compiler.get_converters(
                [column[0] for column in select[0 : compiler.col_count]]
            ),
            init_list=init_list,
            start=start,
            end=end,
            from_db=_get_from_db(klass_info["model"], fetch_mode),
            populators=get_related_populators(klass_info, select, alias, fetch_mode),
            width=compiler.col_count,
            pk_column=start + init_list.index(klass_info["model"]._meta.pk.attname),
            wrapped=self.wrap is not None,
        )

    def _compiled(self, connection, alias: str) -> _Compiled:
        # Kept on the connection object (one per thread and alias): the compiler holds it.
        cache = connection.__dict__.setdefault("_prepared_queries", {})
        compiled = cache.get(self)
        if compiled is None:
            compiled = cache[self] = self._compile(alias)
        return compiled

    def first(self, value: Any, *, extra: tuple = (), using: str = "default"):
        connection = connections[using]
        compiled = self._compiled(connection, using)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, _params(compiled, value, extra))
            row = cursor.fetchone()
        return None if row is None else _instance(compiled, row, using)

    def first_with(
        self,
        value: Any,
        other: PreparedQuery,
        other_value: Any,
        *,
        extra: tuple = (),
        using: str = "default",
    ) -> tuple[Any, Any]:
        """``(self.first(value, extra=extra), other.first(other_value))`` in one statement.

        Both reads must find at most one row (a unique key), and ``other`` must not write (no
        ``wrap``): ``WITH found(…) AS (…), [self's own CTEs,] other(…) AS (…)``, then one row
        that left-joins both, so that each side is None on its own."""
        if other.wrap is not None:
            raise ValueError("the second read of first_with cannot write")
        connection = connections[using]
        mine, theirs = self._compiled(connection, using), other._compiled(connection, using)
        cache = connection.__dict__.setdefault("_prepared_pairs", {})
        sql = cache.get((self, other))
        if sql is None:
            sql = cache[self, other] = _together(mine, theirs)
        with connection.cursor() as cursor:
            cursor.execute(sql, _params(mine, value, extra) + _params(theirs, other_value, ()))
            row = cursor.fetchone()
        first, second = row[: mine.width], row[mine.width :]
        return (
            None if first[mine.pk_column] is None else _instance(mine, first, using),
            None if second[theirs.pk_column] is None else _instance(theirs, second, using),
        )


def _together(mine: _Compiled, theirs: _Compiled) -> str:
    """One statement for two compiled reads: their rows side by side, NULLs for a missing one."""
    if mine.wrapped:
        if not mine.sql.endswith(ANSWER):
            raise ValueError(f"a wrapped read must end with {ANSWER!r} to be joined")
        head = mine.sql.removesuffix(ANSWER).rstrip()
    else:
        head = _with("found", _names("c", mine.width), mine.sql)
    other = _with("other", _names("d", theirs.width), theirs.sql).removeprefix("WITH ")
    # Only the compiled queries and our own column names are formatted in.
    return (
        f"{head}, {other} "  # noqa: S608
        "SELECT found.*, other.* FROM (SELECT 1) AS one "
        "LEFT JOIN found ON true LEFT JOIN other ON true"
    )


def _names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


def _with(name: str, columns: list[str], sql: str) -> str:
    """``WITH name(columns…) AS (sql)``: a compiled read as a CTE with our own column names."""
    return f"WITH {name}({', '.join(columns)}) AS ({sql})"


def _params(compiled: _Compiled, value: Any, extra: tuple) -> list:
    params = list(compiled.params)
    params[compiled.slot] = value
    params.extend(extra)
    return params


def _instance(compiled: _Compiled, row: tuple, using: str):
    """The instance and its related ones from a row, as Django's ``ModelIterable`` builds them."""
    if compiled.converters:
        row = next(compiled.compiler.apply_converters([row], compiled.converters))
    obj = compiled.from_db(using, compiled.init_list, row[compiled.start : compiled.end])
    for populator in compiled.populators:
        populator.populate(row, obj)
    return obj
