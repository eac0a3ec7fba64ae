"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Write to a temporary file in the same folder (same filesystem, so the rename is atomic),
flush it to disk, then os.replace it over the target.
"""
from __future__ import annotations

import errno
import os
import secrets
import tempfile
from pathlib import Path


def _umask() -> int:
    # os.umask can only be read by setting it; restore at once.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically; creates the parent folder if needed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600; give it the permissions a normal open() would.
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically (newlines written as given)."""
    return write_bytes_atomic(path, text.encode(encoding))


def new_folder_beside(target: Path, prefix: str) -> Path:
    """An empty folder in target's parent (the same file system, so renaming it over target is
    atomic), named prefix + a random part, with the mode any new folder has (0777 less the umask,
    e.g. 0755) - not tempfile.mkdtemp's 0700: the folder becomes the team's output or input
    folder, which teammates on a shared drive must be able to open."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        folder = target.parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(errno.EEXIST, "no free name for a temporary folder", str(target.parent / prefix))
