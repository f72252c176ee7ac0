"""A user's own language at the till (issue 11): NULL means the store's `locale`.

A plain nullable ADD COLUMN, so SQLite does not rebuild the user table and
rows written before this migration follow the store's language.

A frozen copy of the column as it was at this migration; never edit it once
landed: add a new numbered migration instead.
"""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "language", CharField(max_length=16, null=True)),
    )
