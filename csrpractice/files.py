"""Small file and terminal helpers shared by the commands: atomic writes and printable text."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, sync: bool = False) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place: a failure never leaves half a
    file. Raises OSError."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def printable(text: str) -> str:
    """Text safe to print on a terminal: a line break becomes a space, other control characters a visible
    symbol, so nothing a user typed can move the cursor or clear the screen."""
    return "".join(ch if ch.isprintable() or ch == "\t" else "\ufffd" if ch != "\n" else " " for ch in text)
