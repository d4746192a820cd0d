"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    An interrupted build (Ctrl-C, a full disk) leaves the old file or none,
    never a truncated one.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def inside(path: Path, folder: Path) -> bool:
    """True when ``path``, with every symlink resolved, lies inside ``folder``."""
    try:
        return path.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except OSError:
        return False


def prune(folder: Path, patterns: tuple[str, ...], *, days: int) -> None:
    """Remove the files matching ``patterns`` in ``folder`` that no build has used for
    ``days`` days. Looked over at most once a day (a stamp file in the folder says when),
    so a rebuild does not stat every cached file."""
    import time

    now = time.time()
    stamp = folder / "pruned-at"  # holds the time; a plain, non-empty file like the rest
    try:
        if now - stamp.stat().st_mtime < 86400:
            return
    except OSError:
        pass
    limit = now - days * 86400
    for pattern in patterns:
        for path in folder.glob(pattern):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(stamp, f"{now:.0f}\n")
    except OSError:
        pass
