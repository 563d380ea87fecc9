"""train_langid reproduces the shipped model byte for byte from ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.detect.model import MODEL_PATH
from storyline.detect.train import train_langid


@pytest.mark.slow
@pytest.mark.needs_shared_data
def test_detect_train_reproduces_the_shipped_model(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "langid_model.npz"
    report = train_langid(shared_data, out)
    assert out.read_bytes() == MODEL_PATH.read_bytes()
    dev = report["dev_accuracy"]
    assert isinstance(dev, dict) and min(dev.values()) > 0.9
