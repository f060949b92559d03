"""Queries compiled once per process and run again with other values.

For the few hot queries whose compiling costs more than running them: the activity feed's UNION of nine
parts, each a few expressions the ORM resolves anew on every page, took about 8 ms to compile and 3 ms to
run on SQLite. A `Prepared` query is built by the ORM as always, once per shape, with a marker in place of
each value; the SQL it compiles to is kept, and each later run puts the values where the markers were.
What a shape is (which filters are on, how long a list is) is for the caller to say: it changes the SQL,
where a value only changes the parameters.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Manager, QuerySet
from django.db.models.query import RawQuerySet
from django.db.models.sql.compiler import SQLCompiler

# Values no caller passes: negative ids (within a 32-bit column's range, or the ORM drops the condition), and
# dates in the first millennium (microseconds tell them apart).
_INT_MARK = -2_147_000_000
_TIME_MARK = datetime(999, 1, 1, tzinfo=UTC)


@dataclass
class _Compiled:
    sql: str | None  # None: the ORM found no row can match the markers; the query is built each time
    slots: list[tuple]  # per parameter: (value's name, list index or None), or (None, the constant)
    compiler: SQLCompiler  # what converts the rows it read
    converters: dict
    manager: Manager

    def params(self, values: dict, adapt) -> list:
        return [_fill(slot, values, adapt) for slot in self.slots]


class Prepared:
    """`build(*shape, **values) -> QuerySet`, compiled once per shape and run with other values of the same kinds.

    `kinds` names each value's kind: `int`, `datetime` or `list` (of ints). Which values are None and how
    long each list is are part of the shape by themselves."""

    def __init__(self, build, **kinds):
        self.build = build
        self.kinds = kinds
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, shape: tuple, using: str = "default", **values) -> list[tuple]:
        """The query's rows as tuples, converted as the ORM converts them (a date read from SQLite is a
        datetime, not a string)."""
        compiled = self._prepared(shape, using, values)
        if compiled.sql is None:  # compiled as it comes, every time
            compiler = self.build(*shape, **values).query.get_compiler(using=using)
            return [tuple(row) for row in compiler.results_iter(tuple_expected=True)]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params(values, _adapter(connections[using])))
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
        return rows

    def raw(self, shape: tuple, using: str = "default", **values) -> RawQuerySet | QuerySet:
        """The query's rows as model instances (with its annotations as attributes), for a query of a model."""
        compiled = self._prepared(shape, using, values)
        if compiled.sql is None:
            return self.build(*shape, **values).using(using)
        return compiled.manager.raw(compiled.sql, compiled.params(values, _adapter(connections[using])), using=using)

    def _prepared(self, shape: tuple, using: str, values: dict) -> _Compiled:
        # Which values are None and how long each list is change the SQL, whatever the caller's shape says.
        form = tuple(
            None if values[name] is None else len(values[name]) if kind is list else 0
            for name, kind in self.kinds.items()
        )
        key = (shape, using, form)
        if key not in self._compiled:
            self._compiled[key] = self._compile(shape, using, values)
        return self._compiled[key]

    def _compile(self, shape: tuple, using: str, values: dict) -> _Compiled:
        adapt = _adapter(connections[using])
        marks, where = {}, {}
        for n, (name, kind) in enumerate(self.kinds.items()):
            value = values[name]
            if value is None:
                marks[name] = None
            elif kind is list:
                marks[name] = [_INT_MARK - 1000 * (n + 1) - i for i in range(len(value))]
                where.update({mark: (name, i) for i, mark in enumerate(marks[name])})
            elif kind is int:
                marks[name] = _INT_MARK - n
                where[marks[name]] = (name, None)
            else:
                marks[name] = _TIME_MARK + timedelta(microseconds=n + 1)
                where[adapt(marks[name])] = (name, None)
        queryset: QuerySet = self.build(*shape, **marks)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a filter no row can pass, such as an action a source does not have: rare
            return _Compiled(None, [], compiler, {}, queryset.model._default_manager)
        slots = [where.get(param, (None, param)) if _hashable(param) else (None, param) for param in params]
        missing = {name for name, _ in where.values()} - {name for name, _ in slots if name}
        if missing:  # the ORM wrote a value into the SQL itself: it belongs in the shape
            raise ValueError(f"{', '.join(sorted(missing))} changed the SQL, not only its parameters")
        converters = compiler.get_converters([column[0] for column in compiler.select])
        return _Compiled(sql, slots, compiler, converters, queryset.model._default_manager)


def _fill(slot: tuple, values: dict, adapt):
    name, at = slot
    if name is None:
        return at  # a constant of the query
    value = values[name] if at is None else values[name][at]
    return adapt(value) if isinstance(value, datetime) else value


def _adapter(connection):
    return connection.ops.adapt_datetimefield_value


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
