"""A model SELECT whose SQL Peewee builds once, then kept and sent in each database's own form.

Peewee builds a query's SQL anew on every run, which costs more than an
indexed read takes (1-3 ms for the till's lookup of a scanned code). A
FixedSelect is still a query object, so a lane's server can answer it from the
lane's local copy when the server is gone: the SQL is put in the form of
whichever database runs it, when it runs.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Sequence

from peewee import Model, ModelRaw, SelectBase, SqliteDatabase


@cache
def in_dialect(template: str, param: str, quote: str) -> str:
    """`template`, written with `?` marks and double-quoted names, for a database's marks and quotes."""
    left, right = quote
    quoted = re.sub(r'"([^"]*)"', lambda m: f"{left}{m.group(1)}{right}", template)
    return quoted.replace("?", param)


def template_of(query: SelectBase) -> tuple[str, list[Any]]:
    """A Peewee SELECT's SQL with `?` marks and double quotes, and its parameters in stored form."""
    return SqliteDatabase(None).get_sql_context().sql(query).query()


class FixedSelect(ModelRaw):
    """Rows of `model` from a kept template (see template_of) and this run's parameters."""

    def __init__(self, model: type[Model], template: str, params: Sequence[Any]) -> None:
        super().__init__(model, template, list(params))

    def __sql__(self, ctx):
        ctx.literal(in_dialect(self._sql, ctx.state.param or "?", ctx.state.quote or '""'))
        for param in self._params:
            ctx.value(param, add_param=False)
        return ctx
