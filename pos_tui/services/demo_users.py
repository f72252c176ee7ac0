"""The demo store's users (sample_data/users.csv), shown on the demo login screen."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from pos_tui.resources import data_dir


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    password: str


def demo_users() -> list[DemoUser]:
    with open(data_dir("sample_data") / "users.csv", encoding="utf-8", newline="") as handle:
        return [DemoUser(**row) for row in csv.DictReader(handle)]
