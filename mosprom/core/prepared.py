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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import _get_from_db, get_related_populators


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
        (<the compiled SELECT>)`` into a statement that answers ``SELECT * FROM found`` and may
        also write (more CTEs); ``columns`` names the root model's columns (attname → ``cN``).
        Parameters it adds come after the query's, given to ``first(…, extra=…)``."""
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
            names = [f"c{i}" for i in range(compiler.col_count)]
            sql = self.wrap(
                f"WITH found({', '.join(names)}) AS ({sql})",
                dict(zip(init_list, names[start:end], strict=True)),
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
        )

    def first(self, value: Any, *, extra: tuple = (), using: str = "default"):
        connection = connections[using]
        # Kept on the connection object (one per thread and alias): the compiler holds it.
        cache = connection.__dict__.setdefault("_prepared_queries", {})
        compiled = cache.get(self)
        if compiled is None:
            compiled = cache[self] = self._compile(using)
        params = list(compiled.params)
        params[compiled.slot] = value
        params.extend(extra)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(compiled.compiler.apply_converters([row], compiled.converters))
        obj = compiled.from_db(using, compiled.init_list, row[compiled.start : compiled.end])
        for populator in compiled.populators:
            populator.populate(row, obj)
        return obj
