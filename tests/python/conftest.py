"""Fixtures for the tests of the `dongne` Python module (built tree on PYTHONPATH)."""
import os

import pytest

dongne = pytest.importorskip("dongne", reason="the dongne module is not on PYTHONPATH")

SOURCE = os.environ.get("DONGNE_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(SOURCE, "examples", "data", "jeju-busan.jsonl")
SHARED_DATA = os.environ.get("DONGNE_SHARED_DATA") or os.path.join(SOURCE, "..", "shared", "data")

AEWOL = dict(lat=33.4628, lon=126.3310)
HAEUNDAE = dict(lat=35.1587, lon=129.1604)


@pytest.fixture
def eng(tmp_path):
    with dongne.Engine(str(tmp_path / "engine"), sync=False) as engine:
        yield engine


@pytest.fixture
def users(eng):
    return eng.create_user("귤러버"), eng.create_user("제주토박이")
