"""Reading a CSV of rows (stock files; the header check for every import): every bad row reported.

The product import has its own, richer parser; this one serves files of a
barcode and a number or two, with the same rules: strict quoting, line
numbers people can find in their editor, blank rows skipped, a barcode named
twice refused, and nothing written unless every row is good.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable, TypeVar

from pos_tui.errors import ImportRejected, PosError, ValidationError
from pos_tui.i18n import _

Row = TypeVar("Row")


def read_csv(path: Path) -> str:
    """A CSV file's text: UTF-8 with or without a BOM, or a clear message."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(_("no file {path}").format(path=path)) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ValidationError(
            _("{path} is not UTF-8 text (line {line}, byte {start}); save it as UTF-8 CSV").format(path=path, line=line, start=exc.start)
        ) from None
    except OSError as exc:
        raise ValidationError(_("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None


def check_header(header: list[str], required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """A CSV header line: every required column, no unknown or repeated one (all said at once)."""
    columns = required + optional
    if not header:
        raise ValidationError(_("the CSV file is empty; it needs a header line: {columns}").format(columns=",".join(required)))
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or repeated:
        kinds = ((_("missing column(s) {names}"), missing), (_("unknown column(s) {names}"), unknown),
                 (_("repeated column(s) {names}"), repeated))
        parts = [text.format(names=", ".join(names)) for text, names in kinds if names]
        raise ValidationError(_("line 1: {parts}; columns are {columns}").format(parts='; '.join(parts), columns=','.join(columns)))


def parse_rows(text: str, required: tuple[str, ...], optional: tuple[str, ...],
               parse: Callable[[int, dict[str, str]], Row], key: Callable[[Row], str],
               check: Callable[[list[Row]], dict[int, str]] | None = None) -> list[Row]:
    """Each row through `parse(line, cells)`; ImportRejected lists every bad one by line number.

    `check` sees the rows that parsed, all at once (one query for every
    barcode), and returns {line: problem}; its problems join the others in
    line order, so one pass reports everything wrong with the file.
    """
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ValidationError(_("line 1: broken CSV ({exc})").format(exc=exc)) from None
    check_header(header, required, optional)
    reader.fieldnames = header
    rows: list[Row] = []
    problems: list[tuple[int, str]] = []  # (line, message): sorted by the number, not by parsing the text
    first_line: dict[str, int] = {}
    line = 1
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                problems.append((line, _("line {line}: more fields than the header has").format(line=line)))
                continue
            if all(not (v or "").strip() for v in raw.values()):
                continue
            try:
                row = parse(line, {k: (v or "").strip() for k, v in raw.items()})
            except PosError as exc:
                problems.append((line, _("line {line}: {exc}").format(line=line, exc=exc)))
                continue
            code = key(row)
            if code in first_line:
                problems.append((line, _("line {line}: barcode {code} repeats line {first_line}").format(
                    line=line, code=code, first_line=first_line[code])))
                continue
            first_line[code] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append((line + 1, _("line {line}: broken CSV ({exc})").format(line=line + 1, exc=exc)))
    if check is not None and rows:
        found = check(rows)
        problems.extend((n, _("line {n}: {message}").format(n=n, message=message)) for n, message in found.items())
        problems.sort(key=lambda problem: problem[0])  # stable: a line's own problems keep their order
    if problems:
        raise ImportRejected([message for _line, message in problems])
    if not rows:
        raise ValidationError(_("the CSV file has a header but no rows"))
    return rows


def collect(*checks: Callable[[], object]) -> list[object]:
    """Run every check, gathering all their messages into one ValidationError."""
    values: list[object] = []
    problems: list[str] = []
    for check in checks:
        try:
            values.append(check())
        except PosError as exc:
            problems.append(str(exc))
            values.append(None)
    if problems:
        raise ValidationError("; ".join(problems))
    return values
