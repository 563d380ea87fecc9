from __future__ import annotations

import pytest

from storyline.errors import ConfigError
from storyline.settings import SETTINGS, Settings

from .conftest import ROOT


def test_settings_every_setting_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if s.env not in readme]
    assert not missing, f"document these settings in README.md: {missing}"


def test_settings_table_and_dataclass_agree() -> None:
    defaults = Settings()
    for s in SETTINGS:
        assert getattr(defaults, s.name) == s.default, s.name


def test_settings_environment_overrides_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_LINK_WINDOW_DAYS", "3")
    assert Settings.load().link_window_days == 3
    assert Settings.load(link_window_days=5).link_window_days == 5


def test_settings_bad_value_is_a_coded_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_PORT", "eighty")
    with pytest.raises(ConfigError) as info:
        Settings.load()
    assert info.value.code == "config.setting" and "STORYLINE_PORT" in info.value.full_message
