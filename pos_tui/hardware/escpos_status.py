"""ESC/POS real-time status (DLE EOT n): the bytes to ask and what the answers mean.

Every answer byte has bits 1 and 4 set and bits 0 and 7 clear, so a byte
that does not match that pattern is not a status answer (line noise, a
stale byte) and is not trusted.
"""

from __future__ import annotations

DLE_EOT = b"\x10\x04"
PRINTER = 1  # bit 2: drawer connector pin 3 high; bit 3: offline
OFFLINE_CAUSE = 2  # bit 2: cover open; bit 5: stopped at paper end; bit 6: an error
ROLL_PAPER = 4  # bits 2-3: near-end sensor; bits 5-6: paper-end sensor

_FIXED_MASK = 0b1001_0011
_FIXED_VALUE = 0b0001_0010


def query(n: int) -> bytes:
    if n not in (PRINTER, OFFLINE_CAUSE, ROLL_PAPER, 3):
        raise ValueError(f"DLE EOT takes n = 1, 2, 3 or 4, not {n}")
    return DLE_EOT + bytes([n])


def is_status(byte: int) -> bool:
    return byte & _FIXED_MASK == _FIXED_VALUE


def online(byte: int) -> bool:
    return not byte & 0b0000_1000


def drawer_pin3_high(byte: int) -> bool:
    return bool(byte & 0b0000_0100)


def cover_open(byte: int) -> bool:
    return bool(byte & 0b0000_0100)


def paper(byte: int) -> str:
    """ "out" when the end sensor sees no paper, "near_end" when the near-end sensor trips, else "ok"."""
    if byte & 0b0110_0000:
        return "out"
    if byte & 0b0000_1100:
        return "near_end"
    return "ok"
