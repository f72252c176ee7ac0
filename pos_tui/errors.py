"""Every error a person may see.

A PosError carries a one-line message that says what was wrong and what to do;
the CLI prints it as `error: …` and the till shows it in a notification.
"""


class PosError(Exception):
    """An error caused by input or state a person can fix."""

    exit_code = 1


class ConfigError(PosError):
    """The configuration is unreadable or a key/value is invalid."""


class StoreError(PosError):
    """The store (POS_HOME or its database) is missing, busy or unusable."""


class StoreDamaged(StoreError):
    """The store's database file is not a database or is corrupt: restore a backup."""


class NotFound(PosError):
    """A named thing (user, product, sale) does not exist."""


class ValidationError(PosError):
    """A value typed or imported does not fit the rules."""


class AuthError(PosError):
    """Login failed, a user is locked or disabled, or a permission is missing."""


class ImportRejected(ValidationError):
    """A CSV import found bad rows; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        from pos_tui.i18n import ngettext  # here: pos_tui.i18n imports this module

        self.problems = problems
        count = len(problems)
        super().__init__(
            ngettext("{count} bad row; nothing was imported", "{count} bad rows; nothing was imported", count)
            .format(count=count)
        )
