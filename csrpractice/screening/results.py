"""Screening results: one JSON file per candidate, signed with the hiring manager's key.

The signature is an HMAC-SHA256 over the result's canonical JSON (keys sorted, no spaces, UTF-8), everything
but the signature itself. The key is 32 random bytes kept by the manager (`csrpractice keygen`); its id (the
first 16 hex digits of its SHA-256) is stored beside the signature, so a file signed with another key is told
apart from an altered one. Whoever holds the key can sign: keep it on the screening machine and away from
candidates (docs/screenings.md).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

RESULT_FORMAT = "csrpractice-screening-result"
RESULT_VERSION = 1
ALGORITHM = "HMAC-SHA256"
KEY_BYTES = 32

INTACT, ALTERED, OTHER_KEY, UNSIGNED = "intact", "altered", "signed with another key", "not signed"


class ResultError(Exception):
    """A result or key file cannot be used; the message names the file and the reason."""


# --- keys -------------------------------------------------------------------------------------------------
def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def new_key(path: Path) -> str:
    """Write a new random key to `path` (readable by its owner only); never overwrites. Returns its id."""
    path = Path(path).expanduser()
    if path.exists():
        raise ResultError(f"{path} already exists; a key is never overwritten (results signed with it could no "
                          "longer be verified). Choose another file with --out")
    if not path.parent.is_dir():
        raise ResultError(f"cannot write {path}: the folder {path.parent} does not exist")
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(f"csrpractice-screening-key {key.hex()}\n")
    except OSError as exc:
        raise ResultError(f"cannot write {path}: {exc.strerror or exc}") from None
    return key_id(key)


def read_key(path: Path) -> bytes:
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ResultError(f"no key file {path}: make one with csrpractice keygen --out {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultError(f"cannot read the key file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    parts = text.split()
    if len(parts) != 2 or parts[0] != "csrpractice-screening-key" or len(parts[1]) != KEY_BYTES * 2:
        raise ResultError(f"{path} is not a csrpractice screening key (made by csrpractice keygen)")
    try:
        return bytes.fromhex(parts[1])
    except ValueError:
        raise ResultError(f"{path} is not a csrpractice screening key (made by csrpractice keygen)") from None


# --- signing ----------------------------------------------------------------------------------------------
def canonical(doc: dict) -> bytes:
    body = {k: v for k, v in doc.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(doc: dict, key: bytes) -> dict:
    signed = {k: v for k, v in doc.items() if k != "signature"}
    signed["signature"] = {"algorithm": ALGORITHM, "key_id": key_id(key),
                           "value": hmac.new(key, canonical(signed), hashlib.sha256).hexdigest()}
    return signed


def verify(doc: dict, key: bytes) -> str:
    """INTACT, ALTERED, OTHER_KEY or UNSIGNED."""
    sig = doc.get("signature")
    if not isinstance(sig, dict) or not isinstance(sig.get("value"), str):
        return UNSIGNED
    if sig.get("key_id") != key_id(key):
        return OTHER_KEY
    if sig.get("algorithm") != ALGORITHM:
        return ALTERED
    want = hmac.new(key, canonical(doc), hashlib.sha256).hexdigest()
    return INTACT if hmac.compare_digest(want, sig["value"]) else ALTERED


# --- files ------------------------------------------------------------------------------------------------
def load_result(path: Path) -> dict:
    path = Path(path).expanduser()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ResultError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ResultError(f"{path} is a folder, not a result file") from None
    except OSError as exc:
        raise ResultError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ResultError(f"{path} is not a screening result (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ResultError(f"{path} is not a screening result (not valid JSON: {exc.msg} at line {exc.lineno})") \
            from None
    if not isinstance(doc, dict) or doc.get("format") != RESULT_FORMAT:
        raise ResultError(f"{path} is not a screening result (no \"format\": \"{RESULT_FORMAT}\")")
    if not isinstance(doc.get("version"), int) or doc["version"] > RESULT_VERSION:
        raise ResultError(f"{path} is result version {doc.get('version')!r}; this csrpractice reads up to "
                          f"{RESULT_VERSION}: upgrade csrpractice")
    return doc


def write_result(path: Path, doc: dict) -> None:
    """Write a new result file; an existing file is never replaced."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ResultError(f"{path} already exists; results are never overwritten") from None
    except OSError as exc:
        raise ResultError(f"cannot write {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
