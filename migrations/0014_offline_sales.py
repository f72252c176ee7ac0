"""Offline lanes (issue 13): a sale carries the id its lane gave it.

A lane that sold while the server was unreachable sends each queued sale
later; the unique id makes a second send (a retry after a lost reply, or two
lanes sending one queue) find the first instead of writing a duplicate. Older
sales have none (NULL, which a unique index allows many of).

A frozen copy of the column as it was at this migration; never edit it once
landed: add a new numbered migration instead.
"""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("sale", "offline_id", CharField(max_length=36, null=True, unique=True)),
    )
