"""Personal bests for typing drills, kept in a small JSON file in the data directory.

Writes are atomic (a temporary file renamed into place); a damaged file is set aside, never deleted.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path


class BestsError(Exception):
    """The bests file could not be read or written; the message says which file and why."""


def load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError):
        aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
        try:
            path.rename(aside)
        except OSError:
            pass
        return {}
    except OSError as exc:
        raise BestsError(f"cannot read {path}: {exc.strerror or exc}") from None


def record(path: Path, key: str, wpm: float, accuracy: float) -> tuple[dict | None, bool]:
    """Record a result for `key` (e.g. "time-60"); returns (the previous best, whether this is a new best)."""
    bests = load(path)
    previous = bests.get(key)
    is_new = previous is None or wpm > previous.get("wpm", 0)
    if is_new:
        bests[key] = {"wpm": wpm, "accuracy": accuracy, "when": time.strftime("%Y-%m-%d")}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bests-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(bests, fh, indent=1)
            os.replace(tmp, path)
        except OSError as exc:
            raise BestsError(f"cannot save your personal best in {path.parent}: {exc.strerror or exc}") from None
    return previous, is_new
