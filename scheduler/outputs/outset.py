"""One complete, consistent set of outputs in OUTDIR at every moment.

A run writes its whole set into a temporary sibling folder (`.OUTDIR.rota-tmp-PID-XXXX`),
manifest.json last, and then swaps it in:

- OUTDIR does not exist yet: one rename.
- On Linux: the user's own files in OUTDIR (notes, a sign-off database someone put there) are
  hard-linked into the new folder, and the two folders are exchanged in one atomic step
  (renameat2 RENAME_EXCHANGE); the old folder is then removed, after moving back any file
  that appeared in it meanwhile. A reader, or a run killed at any moment, sees the old set or
  the new one, never a mixture.
- Elsewhere, where hard links or the exchange are not supported, or when this process works
  inside OUTDIR (`--out .`: exchanging the folder would leave the shell in a deleted one): file
  by file, the old manifest removed first and the new one written last, so a manifest never
  lists files that are not the ones it describes. (A shell of someone else's that sits inside
  OUTDIR sees the old folder after an exchange; `cd .` brings it to the new one.)

Which files are ours: those the previous manifest.json lists (or, without one, the names a
plan writes). Nothing else in OUTDIR is ever deleted or overwritten. Temporary folders left by
a killed run are cleaned up at the start of the next one (only set files and links are removed;
anything else is moved back into OUTDIR).
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .atomic import new_folder_beside

MANIFEST = "manifest.json"
TOP_LEVEL_FILES = ("rota.csv", "breaches.csv", "changes.csv", "rota.html", "rota.xlsx", "map.html", MANIFEST)
SET_FOLDERS = {"calendars": ".ics", "workers": ".html"}
TMP_MARK = ".rota-tmp-"
# above this many files of the user's in OUTDIR, linking them all would cost more than it is
# worth (someone pointed --out at a busy folder): fall back to the file-by-file swap
MAX_LINKED = 500


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    """Every file (or symlink) under root, relative to it, in a stable order."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            yield (Path(folder) / name).relative_to(root)


def _looks_like_set_file(rel: Path) -> bool:
    parts = rel.parts
    if len(parts) == 1:
        return parts[0] in TOP_LEVEL_FILES
    return len(parts) == 2 and parts[0] in SET_FOLDERS and parts[1].endswith(SET_FOLDERS[parts[0]])


def our_files(outdir: Path) -> set[Path]:
    """The files of the set now in outdir: its manifest's list, or, without a readable manifest
    (outputs of an older version), the file names a plan writes."""
    manifest = outdir / MANIFEST
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        return {Path(name) for name in listed} | {Path(MANIFEST)}
    except (OSError, ValueError, KeyError, TypeError):
        if not outdir.is_dir():
            return set()
        return {rel for rel in _files(outdir) if _looks_like_set_file(rel)}


def _tmp_prefix(outdir: Path) -> str:
    return f".{outdir.name}{TMP_MARK}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: leave its folder alone
    return True


def _fsync_dir(path: Path) -> None:
    if sys.platform.startswith("win"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def new_staging(outdir: Path) -> Path:
    """An empty temporary folder beside outdir (same file system, so renames are atomic), with
    the mode a new OUTDIR must have (atomic.new_folder_beside)."""
    return new_folder_beside(outdir, f"{_tmp_prefix(outdir)}{os.getpid()}-")


def _dispose(folder: Path, outdir: Path) -> list[str]:
    """Remove a temporary or old set folder: set files and links to files still in outdir go;
    anything else (a file someone saved into the folder while it was OUTDIR) is moved back into
    outdir. Returns notes about files that could be neither removed nor moved back."""
    notes: list[str] = []
    ours = our_files(folder)
    for rel in list(_files(folder)):
        here, there = folder / rel, outdir / rel
        try:
            linked = there.exists() and os.path.samefile(here, there)
        except OSError:
            linked = False
        if rel in ours or _looks_like_set_file(rel) or linked:
            here.unlink()
        elif not there.exists() and not there.is_symlink():
            there.parent.mkdir(parents=True, exist_ok=True)
            os.replace(here, there)
        else:
            notes.append(f"left {here}: a file of yours that is also in {outdir}")
    for dirpath, _dirs, _names in sorted(os.walk(folder), key=lambda t: -len(t[0])):
        with contextlib.suppress(OSError):
            Path(dirpath).rmdir()  # only empty folders
    return notes


def clean_stale(outdir: Path) -> list[str]:
    """Remove the temporary folders of earlier runs that were killed (their process is gone)."""
    notes: list[str] = []
    parent, prefix = outdir.parent, _tmp_prefix(outdir)
    if not parent.is_dir():
        return notes
    for entry in sorted(parent.iterdir()):
        if not entry.name.startswith(prefix) or not entry.is_dir() or entry.is_symlink():
            continue
        pid_text = entry.name[len(prefix):].split("-", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue  # a run still in progress
        notes += _dispose(entry, outdir)
    return notes


def write_manifest(staging: Path, meta: dict[str, Any]) -> Path:
    """manifest.json (last file of the set): meta plus every file of the set with its sha256."""
    files = {rel.as_posix(): sha256_file(staging / rel) for rel in _files(staging) if rel != Path(MANIFEST)}
    body = {**meta, "files": files}
    path = staging / MANIFEST
    data = (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def _sync_tree(root: Path) -> None:
    """Flush every file and folder of the new set to disk before it becomes visible."""
    for rel in _files(root):
        with contextlib.suppress(OSError), (root / rel).open("rb+") as handle:
            os.fsync(handle.fileno())
    for dirpath, _d, _n in os.walk(root):
        _fsync_dir(Path(dirpath))


# --- the swap -------------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths atomically (Linux renameat2). OSError(ENOSYS) where not available."""
    if not sys.platform.startswith("linux"):
        raise OSError(errno.ENOSYS, "atomic exchange needs Linux")
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError as exc:  # C library without renameat2 (glibc < 2.28)
        raise OSError(errno.ENOSYS, "renameat2 not available") from exc
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a))


def _link_user_files(outdir: Path, staging: Path, ours: set[Path]) -> bool:
    """Hard-link the user's files of outdir into staging; False when that cannot be done
    (too many, a symlink or special file, no hard links on this file system)."""
    theirs = [rel for rel in _files(outdir) if rel not in ours]
    if len(theirs) > MAX_LINKED:
        return False
    for rel in theirs:
        src, dst = outdir / rel, staging / rel
        if src.is_symlink() or not src.is_file():
            return False
        if dst.exists():
            continue  # a file of the new set has this name: the set's name wins, as it always did
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            return False
    for dirpath, dirs, _n in os.walk(outdir):  # empty folders of the user's too
        for d in dirs:
            (staging / Path(dirpath, d).relative_to(outdir)).mkdir(parents=True, exist_ok=True)
    return True


def _swap_file_by_file(staging: Path, outdir: Path, old: set[Path]) -> None:
    new = [rel for rel in _files(staging) if _looks_like_set_file(rel)]
    outdir.mkdir(parents=True, exist_ok=True)
    # the old manifest goes first and the new one comes last: at no moment does a manifest
    # list files that are not the ones it describes
    with contextlib.suppress(FileNotFoundError):
        (outdir / MANIFEST).unlink()
    for rel in sorted(new, key=lambda r: r == Path(MANIFEST)):
        if rel == Path(MANIFEST):
            for gone in sorted(old - set(new)):
                with contextlib.suppress(FileNotFoundError):
                    (outdir / gone).unlink()
            for folder in SET_FOLDERS:
                with contextlib.suppress(OSError):
                    (outdir / folder).rmdir()  # only if now empty
        (outdir / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, outdir / rel)
    _fsync_dir(outdir)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def swap_in(staging: Path, outdir: Path) -> list[str]:
    """Make the complete set in staging the set in outdir (see the module doc). Returns notes
    for the user (files that could not be tidied), normally none."""
    _sync_tree(staging)
    if not outdir.exists() and not outdir.is_symlink():
        os.rename(staging, outdir)
        _fsync_dir(outdir.parent)
        return []
    if not outdir.is_dir():
        raise NotADirectoryError(f"{outdir} exists and is not a folder")
    old = our_files(outdir)
    try:
        if _inside(Path.cwd(), outdir):
            raise OSError(errno.EBUSY, "working inside the output folder")
        if not _link_user_files(outdir, staging, old):
            raise OSError(errno.EXDEV, "user files cannot be linked")
        os.chmod(staging, outdir.stat().st_mode & 0o7777)
        _exchange(staging, outdir)
    except OSError:
        _swap_file_by_file(staging, outdir, old)
        return _dispose(staging, outdir)
    _fsync_dir(outdir.parent)
    return _dispose(staging, outdir)  # staging now holds the old set


def discard(staging: Path, outdir: Path) -> list[str]:
    """Throw away a set that will not be swapped in, or what is left of one after a failure
    (set files and links go; anything else is moved back into outdir)."""
    if not staging.exists():
        return []
    return _dispose(staging, outdir)
