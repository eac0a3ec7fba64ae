"""Fixtures for the plan-authority tests: the tiny authority of tests/authority/support.py,
planned once per module by `rota plan-authority` (two teams at once)."""
from __future__ import annotations

import pytest

from tests.authority.support import PLAN_OPTIONS, Planned, make_authority, run_cli


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROTA_SIGNOFF_DB", raising=False)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    root = tmp_path_factory.mktemp("authority")
    auth = make_authority(root)
    out = root / "plans"
    result = run_cli("plan-authority", str(auth), *PLAN_OPTIONS, "--jobs", "2", "--out", str(out))
    return Planned(auth, out, result)
