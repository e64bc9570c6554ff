"""The practice history: every attempt at a scenario or drill, every reply, every result, in one SQLite file.

Each write is its own short transaction, committed before the call returns, so a reply is on disk the moment
it is sent. WAL mode lets a second instance of the app read and write alongside (writers wait their turn).
Texts are redacted (card numbers and security codes masked) before they are written.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from csrpractice import __version__
from csrpractice.store.schema import MIGRATIONS, SCHEMA_VERSION, add_totals, statements, totals_for, week_of
from scoring import ENGINE_VERSION, redact

BUSY_TIMEOUT = 15.0  # seconds a writer waits for another instance's transaction


class StoreError(Exception):
    """The history database cannot be used; the message names the file, the reason and the fix."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def local_day(t: datetime) -> str:
    return t.astimezone().date().isoformat()


def _redact_tree(obj):
    """Every string in a JSON-like value, redacted."""
    if isinstance(obj, str):
        return redact(obj)
    if isinstance(obj, dict):
        return {k: _redact_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_redact_tree(v) for v in obj]
    return obj


def _json(obj) -> str:
    return json.dumps(_redact_tree(obj), ensure_ascii=False, separators=(",", ":"))


def _error_name(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", "") or ""


def _is_damage(exc: sqlite3.Error) -> bool:
    name = _error_name(exc)
    if name:
        return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _why(path: Path, exc: BaseException) -> str:
    """A person's explanation of why the file cannot be opened or written."""
    folder = path.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if path.is_dir():
        return f"{path} is a folder, not a file"
    name = _error_name(exc) if isinstance(exc, sqlite3.Error) else ""
    if name.startswith("SQLITE_READONLY") or "readonly" in str(exc) or not os.access(folder, os.W_OK) \
            or (path.exists() and not os.access(path, os.W_OK)):
        return f"{folder} is read-only here (it and the database file must be writable)"
    if name.startswith("SQLITE_BUSY") or "locked" in str(exc):
        return f"another program kept the database locked for over {BUSY_TIMEOUT:g} s"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """Set WAL mode. Changing the journal mode does not wait for another connection's lock (SQLite answers
    SQLITE_BUSY at once), so two instances opening a new file together retry here, up to BUSY_TIMEOUT."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            busy = _error_name(exc).startswith("SQLITE_BUSY") or "locked" in str(exc)
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _look(path: Path) -> None:
    """Read an existing file's main tables through a read-only connection, so a damaged file is found before
    a read-write connection touches it: closing that one would checkpoint the WAL into the damaged file and
    delete the WAL, and the file set aside would no longer be the file as it was found."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in ("attempts", "replies", "daily_totals"):
            if table in tables:
                conn.execute(f"SELECT * FROM {table} ORDER BY rowid DESC LIMIT 1").fetchall()
                conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
    finally:
        conn.close()


FIX = "choose another place with --db PATH or the CSRPRACTICE_DB environment variable"


class Store:
    """One open history database. Safe to share between the app's threads (calls are serialised)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, now: Callable[[], datetime] = utc_now):
        self.path = path
        self.conn = conn
        self.now = now
        self.notice = ""  # set when a damaged file was set aside on opening
        self._lock = threading.RLock()

    # --- opening --------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, now: Callable[[], datetime] = utc_now, create_folder: bool = False) -> "Store":
        """Open (creating and migrating as needed) the database at `path`.

        A damaged file is renamed aside, never deleted, and a fresh one started; `store.notice` says so.
        `create_folder` makes a missing folder (for the default location only: a folder the user named
        that does not exist is an error, most likely a typo)."""
        path = Path(path).expanduser()
        if create_folder and not path.parent.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the history folder {path.parent}: {exc.strerror or exc}; "
                                 f"{FIX}") from None
        if not path.parent.is_dir():
            raise StoreError(f"cannot open the history database {path}: {_why(path, FileNotFoundError())}; {FIX}")
        if path.is_dir():
            raise StoreError(f"cannot open the history database {path}: it is a folder, not a file; {FIX}")
        try:
            if path.exists():
                _look(path)
            return cls._connect(path, now)
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise StoreError(f"cannot open the history database {path}: {_why(path, exc)}; {FIX}") from None
            aside = set_aside(path)
            try:
                store = cls._connect(path, now)
            except sqlite3.Error as exc2:
                raise StoreError(f"cannot start a new history database {path}: {_why(path, exc2)}; {FIX}") from None
            store.notice = (f"The history database {path} was damaged ({exc}). It was kept as {aside.name} "
                            "and a new, empty history was started.")
            return store

    @classmethod
    def _connect(cls, path: Path, now) -> "Store":
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(path, conn, now)
            store._refuse_newer(store._version())  # before anything is changed, even the journal mode
            mode = _switch_to_wal(conn)
            if mode.lower() != "wal":
                raise sqlite3.OperationalError(f"the database cannot use WAL mode (it is in {mode} mode)")
            conn.execute("PRAGMA synchronous = FULL")  # a committed reply survives a power cut, not just a kill
            store._migrate()
            store._probe()
        except BaseException:
            conn.close()
            raise
        return store

    def _version(self) -> int:
        has_meta = self.conn.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()[0]
        if not has_meta:
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _refuse_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(f"the history database {self.path} was written by a newer csrpractice (schema "
                             f"version {version}; this one knows up to {SCHEMA_VERSION}): upgrade csrpractice, "
                             f"or {FIX}")

    def _migrate(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        with self._write():  # re-read inside the lock: another instance may have migrated meanwhile
            version = self._version()
            self._refuse_newer(version)
            for number, sql, step in MIGRATIONS:
                if number <= version:
                    continue
                for statement in statements(sql):
                    self.conn.execute(statement)
                if step:
                    step(self.conn)
                self.conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(number),))

    def _probe(self) -> None:
        """Touch the first and last pages of the main tables, so a truncated or overwritten file shows now."""
        for table in ("attempts", "replies", "daily_totals"):
            self.conn.execute(f"SELECT * FROM {table} ORDER BY rowid DESC LIMIT 1").fetchall()
            self.conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # --- transactions ---------------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so two instances queue instead of failing."""
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to the history database {self.path}: {_why(self.path, exc)}; "
                                 f"{FIX}") from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                self.conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"cannot write to the history database {self.path}: "
                                     f"{_why(self.path, exc)}; {FIX}") from None
                raise

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the history database {self.path}: {exc}") from None

    # --- scenarios ------------------------------------------------------------------------------------
    def begin_scenario(self, scenario, seed: int, mode: str = "practice") -> int:
        """A new attempt at a scenario, recorded before the first reply (so even an empty one is resumable)."""
        t = self.now()
        with self._write() as c:
            return c.execute(
                "INSERT INTO attempts (uid, kind, mode, item_id, title, item_version, content_hash, engine_version, "
                "app_version, seed, started_at, day, status) VALUES (?, 'scenario', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "'in_progress') RETURNING id",
                (uuid.uuid4().hex, mode, scenario.id, scenario.title, scenario.version, scenario.content_hash,
                 ENGINE_VERSION, __version__, seed, iso(t), local_day(t))).fetchone()[0]

    def add_reply(self, attempt: int, seq: int, record) -> None:
        """Commit one sent reply and its turn result (a session TurnRecord); the draft is cleared with it."""
        with self._write() as c:
            c.execute(
                "INSERT INTO replies (attempt_id, seq, turn, customer, reply, seconds, sent_at, score, mood_before, "
                "mood_after, next_turn, over_time, result, voice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (attempt, seq, record.turn, redact(record.customer), redact(record.reply), record.seconds,
                 iso(self.now()), record.score, record.mood_before, record.mood_after, record.next,
                 int(record.over_time), _json(record.result.to_dict()),
                 _json(record.voice) if getattr(record, "voice", None) else None))
            c.execute("UPDATE attempts SET draft = NULL, draft_at = NULL WHERE id = ?", (attempt,))

    def save_draft(self, attempt: int, text: str) -> None:
        with self._write() as c:
            c.execute("UPDATE attempts SET draft = ?, draft_at = ? WHERE id = ? AND status = 'in_progress'",
                      (redact(text) if text else None, iso(self.now()) if text else None, attempt))

    def finish_scenario(self, attempt: int, card) -> None:
        """The scenario ended: its scorecard, overall score and competencies, in one transaction."""
        d = card.to_dict()
        with self._write() as c:
            day, status, mode = c.execute("SELECT day, status, mode FROM attempts WHERE id = ?",
                                          (attempt,)).fetchone()
            if status == "finished":
                return  # already counted
            c.execute("UPDATE attempts SET status = 'finished', ended_at = ?, overall = ?, outcome = ?, scorecard = ?, "
                      "draft = NULL, draft_at = NULL WHERE id = ?",
                      (iso(self.now()), card.overall, card.outcome, _json(d), attempt))
            c.executemany("INSERT INTO attempt_competencies (attempt_id, competency, score) VALUES (?, ?, ?)",
                          [(attempt, comp, score) for comp, score in card.competencies.items()])
            if mode == "practice":  # a screening is kept, but it is not practice: no trends, no bests
                add_totals(c, day, totals_for("scenario", card.overall, None, None, card.competencies,
                                              [t.delivery for t in card.turns if t.delivery]))

    def set_status(self, attempt: int, status: str) -> None:
        """'left' (the candidate left it; kept in the history, unscored) or 'discarded' (hidden from it)."""
        with self._write() as c:
            c.execute("UPDATE attempts SET status = ?, ended_at = COALESCE(ended_at, ?) WHERE id = ? "
                      "AND status = 'in_progress'", (status, iso(self.now()), attempt))

    def unfinished(self, mode: str | None = None) -> list[dict]:
        """Scenario attempts still in progress (the app was killed or quit mid-scenario), newest first."""
        rows = self.query(
            "SELECT a.id, a.item_id, a.title, a.mode, a.seed, a.content_hash, a.item_version, a.started_at, a.draft, "
            "(SELECT COUNT(*) FROM replies r WHERE r.attempt_id = a.id) FROM attempts a "
            "WHERE a.status = 'in_progress' AND a.kind = 'scenario'" + (" AND a.mode = ?" if mode else "") +
            " ORDER BY a.started_at DESC", (mode,) if mode else ())
        keys = ("id", "scenario", "title", "mode", "seed", "content_hash", "version", "started_at", "draft", "replies")
        return [dict(zip(keys, r)) for r in rows]

    def replies(self, attempt: int) -> list[dict]:
        rows = self.query("SELECT seq, turn, customer, reply, seconds, sent_at, score, mood_before, mood_after, "
                          "next_turn, over_time, result, voice FROM replies WHERE attempt_id = ? ORDER BY seq",
                          (attempt,))
        out = []
        for (seq, turn, customer, reply, seconds, sent_at, score, mb, ma, nxt, over, result, voice) in rows:
            out.append({"seq": seq, "turn": turn, "customer": customer, "reply": reply, "seconds": seconds,
                        "sent_at": sent_at, "score": score, "mood_before": mb, "mood_after": ma, "next": nxt,
                        "over_time": bool(over), "result": json.loads(result),
                        "voice": json.loads(voice) if voice else None})
        return out

    # --- drills ---------------------------------------------------------------------------------------
    def record_typing(self, drill, result, pastes: int = 0, mode: str = "practice",
                      started: datetime | None = None) -> tuple[int, dict | None]:
        """Store a typing drill's result with its per-second series; returns (id, the best before this one)."""
        previous = self.typing_best(drill.key)
        t = self.now()
        start = started or t.fromtimestamp(t.timestamp() - (result.duration or 0), timezone.utc)
        with self._write() as c:
            attempt = c.execute(
                "INSERT INTO attempts (uid, kind, mode, item_id, title, engine_version, app_version, started_at, "
                "ended_at, day, status, wpm, accuracy) VALUES (?, 'typing', ?, ?, ?, ?, ?, ?, ?, ?, 'finished', ?, ?) "
                "RETURNING id",
                (uuid.uuid4().hex, mode, drill.key, drill.label, ENGINE_VERSION, __version__, iso(start), iso(t),
                 local_day(start), None if pastes else result.wpm, None if pastes else result.accuracy)).fetchone()[0]
            c.execute(
                "INSERT INTO typing_results (attempt_id, wpm, raw_wpm, net_wpm, accuracy, consistency, errors, "
                "duration, keystrokes, backspaces, pastes, typed, per_second, raw_per_second, key_errors) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (attempt, result.wpm, result.raw_wpm, result.net_wpm, result.accuracy, result.consistency,
                 result.errors, result.duration, result.keystrokes, result.backspaces, pastes, redact(result.typed),
                 _json(result.per_second), _json(result.raw_per_second),
                 _json({k: list(v) for k, v in result.key_errors.items()})))
            if mode == "practice":
                add_totals(c, local_day(start), totals_for("typing", None, None if pastes else result.wpm,
                                                           result.accuracy, {}))
        return attempt, previous

    def typing_best(self, key: str) -> dict | None:
        """The best WPM for a drill (pasted results never count)."""
        row = self.query("SELECT wpm, accuracy, day FROM attempts WHERE kind = 'typing' AND mode = 'practice' "
                         "AND item_id = ? "
                         "AND status = 'finished' AND wpm IS NOT NULL ORDER BY wpm DESC, day LIMIT 1", (key,))
        return {"wpm": row[0][0], "accuracy": row[0][1], "when": row[0][2]} if row else None

    def record_chat(self, session_id: str, title: str, figures: dict, replies: list[dict],
                    mode: str = "practice") -> int:
        """Store a chat-multitasking drill: its figures, and each reply with its wait and markers."""
        t = self.now()
        with self._write() as c:
            attempt = c.execute(
                "INSERT INTO attempts (uid, kind, mode, item_id, title, engine_version, app_version, started_at, "
                "ended_at, day, status, scorecard) VALUES (?, 'chat', ?, ?, ?, ?, ?, ?, ?, ?, 'finished', ?) "
                "RETURNING id",
                (uuid.uuid4().hex, mode, session_id, title, ENGINE_VERSION, __version__,
                 iso(t.fromtimestamp(t.timestamp() - figures.get("duration", 0), timezone.utc)), iso(t),
                 local_day(t), _json({"figures": figures, "replies": replies}))).fetchone()[0]
            if mode == "practice":
                add_totals(c, local_day(t), totals_for("chat", None, None, None, {}))
        return attempt

    def import_legacy_bests(self, legacy: Path) -> int:
        """Bring in the typing personal bests that version 0.1 kept in a JSON file (then renamed .imported,
        never deleted). Returns how many were imported. Done once per file: the history remembers it, in case
        the file cannot be renamed."""
        try:
            if not legacy.is_file():
                return 0
            stamp = f"{legacy.resolve()}:{legacy.stat().st_mtime_ns}"
            if self.query("SELECT 1 FROM meta WHERE key = 'legacy_bests' AND value = ?", (stamp,)):
                return 0
            bests = json.loads(legacy.read_text(encoding="utf-8"))
            entries = [(k, float(v["wpm"]), float(v.get("accuracy", 0)), str(v.get("when") or local_day(self.now())))
                       for k, v in bests.items()]
            for entry in entries:
                week_of(entry[3])  # a valid day
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            return 0  # unreadable: left where it is, untouched
        with self._write() as c:
            for key, wpm, accuracy, day in entries:
                start = f"{day}T00:00:00.000Z"
                attempt = c.execute(
                    "INSERT INTO attempts (uid, kind, mode, item_id, title, engine_version, app_version, started_at, "
                    "ended_at, day, status, wpm, accuracy) VALUES (?, 'typing', 'practice', ?, ?, ?, ?, ?, ?, ?, "
                    "'finished', ?, ?) RETURNING id",
                    (uuid.uuid4().hex, key, f"{key} (best imported from {legacy.name})", ENGINE_VERSION,
                     __version__, start, start, day, wpm, accuracy)).fetchone()[0]
                c.execute("INSERT INTO typing_results (attempt_id, wpm, accuracy) VALUES (?, ?, ?)",
                          (attempt, wpm, accuracy))
                add_totals(c, day, totals_for("typing", None, wpm, accuracy, {}))
            c.execute("INSERT INTO meta (key, value) VALUES ('legacy_bests', ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (stamp,))
        try:
            legacy.rename(legacy.with_name(legacy.name + ".imported"))
        except OSError:
            pass
        return len(entries)

    # --- the scenario catalog (what "practise next" suggests from) ------------------------------------
    def update_catalog(self, entries: list[dict]) -> None:
        """Remember the scenario library (id, title, kind, difficulty, competencies, source file). Written only
        when it changed: the app calls this at every start."""
        if sorted(self.catalog(), key=lambda e: e["id"]) == sorted(entries, key=lambda e: e["id"]):
            return
        with self._write() as c:
            c.execute("DELETE FROM scenario_catalog")
            c.executemany("INSERT INTO scenario_catalog (scenario_id, title, kind, difficulty, competencies, source) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          [(e["id"], e["title"], e["kind"], e["difficulty"], json.dumps(e["competencies"]),
                            e["source"]) for e in entries])

    def catalog(self) -> list[dict]:
        return [{"id": i, "title": t, "kind": k, "difficulty": d, "competencies": json.loads(c), "source": s}
                for i, t, k, d, c, s in self.query(
                    "SELECT scenario_id, title, kind, difficulty, competencies, source FROM scenario_catalog "
                    "ORDER BY difficulty, scenario_id")]


def set_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal and -shm files) out of the way; returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))
        path.rename(aside)
    except OSError as exc:
        raise StoreError(f"the history database {path} is damaged and could not be set aside: "
                         f"{exc.strerror or exc}; move it away yourself, or {FIX}") from None
    return aside


__all__ = ["Store", "StoreError", "set_aside", "iso", "local_day", "utc_now"]
