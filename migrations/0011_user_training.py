"""A user in training: every login of theirs is in training mode (issue 10).

A plain ADD COLUMN with a database default, so SQLite does not rebuild the
user table and rows written before this migration read as not in training.

A frozen copy of the column as it was at this migration; never edit it once
landed: add a new numbered migration instead.
"""

from peewee import SQL, BooleanField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "training", BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")]),
                            allow_not_null=True),
    )
