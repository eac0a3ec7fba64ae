import os

import pytest

from scheduler.outputs import atomic
from scheduler.outputs.atomic import write_bytes_atomic, write_text_atomic


def test_writes_creates_parents_and_replaces(tmp_path):
    target = tmp_path / "a" / "b" / "file.txt"
    write_text_atomic(target, "first")
    write_text_atomic(target, "second é")
    assert target.read_text(encoding="utf-8") == "second é"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.txt"]  # no temp left behind


def test_failure_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "rota.html"
    write_bytes_atomic(target, b"old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["rota.html"]


def test_permissions_follow_umask_not_mkstemp(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_bytes_atomic(tmp_path / "x.bin", b"1")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
