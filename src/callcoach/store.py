"""The calibration session store: sessions, calls, raters and item scores in a database.

In a calibration session (校准会) every QA evaluator and an expert *anchor* score the
same calls on the same scorecard, each in their own notebook; the facilitator then
compares the scores. :class:`SessionStore` keeps those scores where every kernel can
reach them:

* **SQLite** by default -- one file (``sqlite:///calibration.db``), no server.
  Several evaluators in separate kernels or processes may submit at the same time:
  the store turns on WAL journaling, waits on a busy database (``busy_timeout``),
  takes the write lock at the start of each write (``BEGIN IMMEDIATE``) and retries
  a write that still finds the database locked, so no score is lost.
* **Any database SQLAlchemy reaches by URL**, e.g. PostgreSQL for a shared
  JupyterHub: ``SessionStore("postgresql+psycopg://qa:secret@db.example/calibration")``.
  (``postgresql://`` URLs use psycopg 3, the driver the kit installs.)

The tables (``calib_sessions``, ``calib_calls``, ``calib_raters``, ``calib_scores``,
``calib_meta``) are created on first use and carry the ``calib_`` prefix, so the store
can share a database with other tools such as the nbgrader gradebook. One row of
``calib_scores`` holds one item score of one rater on one call; a unique constraint on
(session, rater, call, item) and an upsert mean a rater who re-submits a call
**updates** their scores, never duplicates them. N/A is stored as NULL.

**Blind mode** (the default) keeps evaluators from anchoring on each other: a rater
asking for the session's scores (``scores(session, as_rater="Ana")``) sees only her
own until she has submitted **every** call of the session; then she sees everyone's,
the anchor's included. The rule is per session rather than per call because peers'
scores on the calls already done would still tell her how lenient the room -- and the
anchor -- are before she scores the rest. The facilitator (``as_rater=None``) always
sees everything. Blind mode is a courtesy of the notebooks, not access control:
anyone who can open the database can read every score.
"""
from __future__ import annotations

import json
import math
import os
import random
import re
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TypeVar

import pandas as pd

from callcoach._messages import listing, show
import sqlalchemy as sa
from sqlalchemy import exc, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import StaticPool

from callcoach.scorecard import Scorecard, score_evaluations

__all__ = [
    "SessionStore",
    "StoreBusyError",
    "StoreConnectionError",
    "StoreError",
    "UnknownNameError",
    "safe_url",
]

DEFAULT_URL = "sqlite:///calibration.db"
SCHEMA_VERSION = "1"
SCORE_COLUMNS = ["session", "call_id", "evaluator", "item", "score", "submitted_at"]
_NAME = 200  # longest session name, call id, rater name or item id

T = TypeVar("T")


# --------------------------------------------------------------------------- errors
class StoreError(Exception):
    """Something went wrong in the calibration store (the message names the URL)."""


class StoreConnectionError(StoreError, ConnectionError):
    """The database cannot be reached or opened (the password is hidden as ``***``)."""


class StoreBusyError(StoreError, TimeoutError):
    """The database stayed locked by other writers for longer than the timeout."""


class UnknownNameError(StoreError, KeyError):
    """No session, rater or call by that name (a ``KeyError`` that prints cleanly)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------- schema
_metadata = sa.MetaData()

_meta = sa.Table(
    "calib_meta", _metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.String(_NAME), nullable=False),
)
_sessions = sa.Table(
    "calib_sessions", _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(_NAME), nullable=False),
    sa.Column("scorecard", sa.Text, nullable=False),  # Scorecard.to_dict() as JSON
    sa.Column("anchor", sa.String(_NAME), nullable=True),
    sa.Column("blind", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("name", name="uq_calib_sessions_name"),
)
_calls = sa.Table(
    "calib_calls", _metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("calib_sessions.id"), primary_key=True),
    sa.Column("call_id", sa.String(_NAME), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)
_raters = sa.Table(
    "calib_raters", _metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("calib_sessions.id"), primary_key=True),
    sa.Column("rater", sa.String(_NAME), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)
_scores = sa.Table(
    "calib_scores", _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, nullable=False),
    sa.Column("rater", sa.String(_NAME), nullable=False),
    sa.Column("call_id", sa.String(_NAME), nullable=False),
    sa.Column("item", sa.String(_NAME), nullable=False),
    sa.Column("score", sa.Float, nullable=True),  # NULL = N/A
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("session_id", "rater", "call_id", "item", name="uq_calib_scores_one_per_item"),
    sa.ForeignKeyConstraint(["session_id", "rater"], ["calib_raters.session_id", "calib_raters.rater"]),
    sa.ForeignKeyConstraint(["session_id", "call_id"], ["calib_calls.session_id", "calib_calls.call_id"]),
)
_KEY = ["session_id", "rater", "call_id", "item"]
# Serialises schema creation between processes on PostgreSQL (any constant will do).
_PG_SCHEMA_LOCK = 0x0CA11B


# --------------------------------------------------------------------------- helpers
def safe_url(url: str | URL) -> str:
    """The URL as text with its password replaced by ``***``.

    Examples
    --------
    >>> from callcoach.store import safe_url
    >>> safe_url("postgresql+psycopg://qa:s3cret@db.example:5432/calibration")
    'postgresql+psycopg://qa:***@db.example:5432/calibration'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError):
        # Not a URL SQLAlchemy can parse: still hide anything between "user:" and "@".
        return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", str(url))


_show = show


def _listing(values: Iterable[Any], limit: int = 12) -> str:
    return listing(values, limit) or "none"


def _sentence(text: str) -> str:
    """End a driver's message with a full stop unless it already ends a sentence."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _names(values: Any, what: str, func: str) -> list[str]:
    """Calls or raters as a list of distinct non-empty strings, in the order given."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"The {what!r} parameter of {func} must be a list of names, such as "
            f"['C-101', 'C-102']. Got {values!r} instead."
        )
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise ValueError(f"The {what!r} parameter of {func} holds an empty value ({value!r}).")
        text = str(value).strip()
        if not text or len(text) > _NAME:
            raise ValueError(
                f"The {what!r} parameter of {func} holds {value!r}; names must be 1 to "
                f"{_NAME} characters long."
            )
        out.append(text)
    if not out:
        raise ValueError(f"The {what!r} parameter of {func} is empty; give at least one name.")
    seen, dup = set(), []
    for text in out:
        if text in seen and text not in dup:
            dup.append(text)
        seen.add(text)
    if dup:
        raise ValueError(
            f"The {what!r} parameter of {func} names {_listing(dup)} more than once; "
            "each must appear once."
        )
    return out


def _is_transient(err: exc.DBAPIError) -> bool:
    """A failure worth retrying: SQLite busy/locked, a PostgreSQL serialisation failure or deadlock."""
    if getattr(getattr(err, "orig", None), "sqlstate", None) in {"40001", "40P01"}:
        return True
    text = str(getattr(err, "orig", err)).lower()
    return isinstance(err, exc.OperationalError) and (
        "database is locked" in text or "database table is locked" in text or "database is busy" in text
    )


@dataclass(frozen=True)
class _Session:
    id: int
    name: str
    scorecard: Scorecard
    anchor: str | None
    blind: bool
    calls: tuple[str, ...]
    raters: tuple[str, ...]
    created_at: datetime


# ---------------------------------------------------------------------------- store
class SessionStore:
    """Calibration sessions and their scores, in SQLite or any SQLAlchemy database.

    Parameters
    ----------
    url : str or path, default "sqlite:///calibration.db"
        A SQLAlchemy database URL, or the path of a SQLite file (``"calib.db"`` means
        ``"sqlite:///calib.db"``, relative to the working folder). ``"sqlite://"`` is
        an in-memory database that lives as long as the store object (for trying
        things out). PostgreSQL: ``"postgresql+psycopg://user:password@host/db"``;
        a plain ``postgresql://`` URL is given the psycopg 3 driver.
    timeout : float, default 30
        Seconds to wait for a busy database: SQLite's busy timeout and the budget
        for retrying a write that found the database locked; the connect timeout
        for PostgreSQL.

    Raises
    ------
    StoreConnectionError
        The database cannot be reached or opened; the message names the URL with
        its password hidden.
    ValueError
        The URL cannot be parsed.

    Notes
    -----
    Each write (creating a session, submitting a call) is one short transaction, so
    a kernel that dies mid-session loses nothing already submitted. On SQLite the
    store sets ``journal_mode=WAL`` (readers never block the writer),
    ``busy_timeout`` (a writer waits for the lock instead of failing),
    ``foreign_keys=ON`` and ``synchronous=FULL``; writes start with
    ``BEGIN IMMEDIATE`` so two writers never deadlock upgrading a read lock, and a
    write that still meets "database is locked" is retried with random back-off
    until ``timeout`` runs out (then :class:`StoreBusyError`). Keep the SQLite file
    on a local disk: WAL needs shared memory, which network file systems (NFS, SMB)
    do not provide -- use PostgreSQL when kernels run on different machines.

    Examples
    --------
    A facilitator sets up a session with two evaluators and the expert anchor:

    >>> from callcoach.scorecard import default_scorecard
    >>> from callcoach.store import SessionStore
    >>> store = SessionStore("sqlite://")  # in memory; a file or PostgreSQL URL in class
    >>> store.create_session("March", calls=["C-101", "C-102"], raters=["Ana", "Ben"],
    ...                      scorecard=default_scorecard(), anchor="expert")
    'March'
    >>> good = {"greeting": 2, "verify_identity": "yes", "accurate_info": 2,
    ...         "proactive_offer": 1, "feedback_raised": "N/A", "empathy": 4,
    ...         "hold_etiquette": "N/A", "followup_recorded": 2, "closing": 2}
    >>> store.submit("March", "Ana", "C-101", good)
    >>> store.submit("March", "Ben", "C-101", {**good, "closing": 1})
    >>> store.submit("March", "Ana", "C-101", {**good, "greeting": 1})  # updates
    >>> store.progress("March")[["evaluator", "submitted", "calls", "complete"]]
      evaluator  submitted  calls  complete
    0       Ana          1      2     False
    1       Ben          1      2     False
    2    expert          0      2     False

    Blind mode: until Ana has scored both calls she sees only her own scores.

    >>> store.scores("March", as_rater="Ana")["evaluator"].unique().tolist()
    ['Ana']
    >>> store.submit("March", "Ana", "C-102", good)
    >>> store.scores("March", as_rater="Ana")["evaluator"].unique().tolist()
    ['Ana', 'Ben']
    >>> store.totals("March")[["call_id", "evaluator", "total"]].round(2)
      call_id evaluator  total
    0   C-101       Ana  87.50
    1   C-101       Ben  84.72
    2   C-102       Ana  90.28
    >>> store.close()
    """

    def __init__(self, url: str | os.PathLike[str] = DEFAULT_URL, *, timeout: float = 30.0) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError(
                f"The 'timeout' parameter of SessionStore must be a positive number of "
                f"seconds. Got {timeout!r} instead."
            )
        self.timeout = float(timeout)
        self.url = self._parse_url(url)
        self._safe = self.url.render_as_string(hide_password=True)
        self._cache: dict[str, _Session] = {}
        self._engine = self._make_engine()
        try:
            if not self._run(self._schema_ready):
                self._run(self._create_schema, write=True)
        except BaseException:
            self._engine.dispose()
            raise

    # ------------------------------------------------------------- connection
    @staticmethod
    def _parse_url(url: Any) -> URL:
        if isinstance(url, os.PathLike) or (isinstance(url, str) and "://" not in url):
            if isinstance(url, str) and not url.strip():
                raise ValueError("The 'url' parameter of SessionStore is empty; give a database "
                                 f"URL or a file name. The default is {DEFAULT_URL!r}.")
            return URL.create("sqlite", database=os.fspath(url))
        if isinstance(url, URL):
            parsed = url
        elif isinstance(url, str):
            try:
                parsed = make_url(url)
            except (exc.ArgumentError, ValueError) as err:
                raise ValueError(
                    f"The 'url' parameter of SessionStore is not a database URL: "
                    f"{safe_url(url)!r}. Use e.g. {DEFAULT_URL!r} or "
                    "'postgresql+psycopg://user:password@host:5432/database'."
                ) from err
        else:
            raise TypeError(
                "The 'url' parameter of SessionStore must be a database URL or a file path. "
                f"Got {type(url).__name__} instead."
            )
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed

    @property
    def _sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def _make_engine(self) -> Engine:
        url = self.url
        if self._sqlite:
            memory = url.database in (None, "", ":memory:")
            kwargs: dict[str, Any] = {"connect_args": {"timeout": self.timeout, "check_same_thread": False}}
            if memory:
                kwargs["poolclass"] = StaticPool
            try:
                engine = sa.create_engine(url, **kwargs)
            except (exc.ArgumentError, ImportError) as err:
                raise ValueError(f"Cannot use the database URL {self._safe}: {err}") from err
            busy_ms = int(self.timeout * 1000)

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_connection, _record) -> None:
                # We issue BEGIN ourselves (below), so the driver must not.
                dbapi_connection.isolation_level = None
                cursor = dbapi_connection.cursor()
                cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
                if not memory:
                    cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = FULL")
                cursor.execute("PRAGMA foreign_keys = ON")
                cursor.close()

            @event.listens_for(engine, "begin")
            def _on_begin(conn: Connection) -> None:
                write = conn.get_execution_options().get("callcoach_write", False)
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

            return engine

        kwargs = {"pool_pre_ping": True}
        if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
            kwargs["connect_args"] = {"connect_timeout": max(1, int(round(self.timeout)))}
        try:
            return sa.create_engine(url, **kwargs)
        except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as err:
            raise ValueError(
                f"Cannot use the database URL {self._safe}: {err}. Is its driver installed?"
            ) from err

    def close(self) -> None:
        """Close every connection to the database (the store can still reconnect)."""
        self._engine.dispose()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SessionStore({self._safe!r})"

    def _reason(self, err: BaseException) -> str:
        text = str(getattr(err, "orig", None) or err).strip().splitlines()
        reason = " ".join(line.strip() for line in text if line.strip()) or type(err).__name__
        if self.url.password and len(str(self.url.password)) >= 3:  # drivers rarely echo it; be sure
            reason = reason.replace(str(self.url.password), "***")
        return reason

    def _translate(self, err: exc.DBAPIError) -> StoreError:
        reason = self._reason(err)
        if err.statement is None or err.connection_invalidated:
            hint = (
                "Check that the folder exists and that you may write to it."
                if self._sqlite else
                "Check that the database server is running and that the host, port, user, "
                "password and database name in the URL are right."
            )
            return StoreConnectionError(
                f"Could not connect to the calibration store at {self._safe}: {_sentence(reason)} {hint}"
            )
        return StoreError(f"The calibration store at {self._safe} failed: {_sentence(reason)}")

    def _run(self, work: Callable[[Connection], T], *, write: bool = False) -> T:
        """Run ``work`` in one transaction; retry it while the database is busy."""
        deadline = time.monotonic() + self.timeout
        delay = 0.01
        while True:
            try:
                with self._engine.connect() as conn:
                    if write:
                        conn.execution_options(callcoach_write=True)
                    with conn.begin():
                        return work(conn)
            except exc.DBAPIError as err:
                if not _is_transient(err):
                    raise self._translate(err) from err
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"The calibration store at {self._safe} stayed busy for "
                        f"{self.timeout:g} s ({self._reason(err)})"
                        f"{'; nothing was written' if write else ''}. Try again, or give "
                        "SessionStore a longer timeout."
                    ) from err
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 0.5)

    def _schema_ready(self, conn: Connection) -> bool:
        """True when the tables exist (the version row is written with them)."""
        if not sa.inspect(conn).has_table(_meta.name):
            return False
        found = conn.execute(sa.select(_meta.c.value).where(_meta.c.key == "schema_version")).scalar()
        if found is not None and found != SCHEMA_VERSION:
            raise StoreError(
                f"The calibration store at {self._safe} uses schema version {found}; this "
                f"callcoach reads version {SCHEMA_VERSION}. Upgrade callcoach, or use another database."
            )
        return found is not None

    def _create_schema(self, conn: Connection) -> None:
        """Create the tables; serialised between processes (write lock / advisory lock)."""
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_SCHEMA_LOCK})")
        if self._schema_ready(conn):  # another process created them while we waited
            return
        _metadata.create_all(conn, checkfirst=True)
        conn.execute(_meta.insert().values(key="schema_version", value=SCHEMA_VERSION))

    # -------------------------------------------------------------- sessions
    def create_session(
        self,
        name: str,
        *,
        calls: Sequence[Hashable],
        raters: Sequence[Hashable],
        scorecard: Scorecard,
        anchor: str | None = "expert",
        blind: bool = True,
    ) -> str:
        """Create a calibration session: the calls everyone scores, and who scores them.

        Parameters
        ----------
        name : str
            Unique name, e.g. ``"2025-03 billing"``.
        calls : list
            Call ids, in the order raters should score them (stored as text).
        raters : list
            The evaluators' names.
        scorecard : Scorecard
            The form used; it is stored with the session, so later changes to the
            form in code do not change how this session's scores are read.
        anchor : str or None, default "expert"
            The expert whose scores are the standard; added to the raters if not
            among them. None for a session without an anchor.
        blind : bool, default True
            Whether raters see only their own scores until they have submitted
            every call (see the module notes).

        Returns
        -------
        str
            The session name, to pass to the other methods.

        Raises
        ------
        ValueError
            The name is taken, or calls or raters are empty or repeated.
        """
        func = "create_session"
        if not isinstance(name, str) or not name.strip() or len(name) > _NAME:
            raise ValueError(
                f"The 'name' parameter of {func} must be a non-empty string of up to "
                f"{_NAME} characters, such as '2025-03 billing'. Got {name!r} instead."
            )
        if not isinstance(scorecard, Scorecard):
            raise TypeError(
                f"The 'scorecard' parameter of {func} must be a Scorecard, such as "
                f"callcoach.scorecard.default_scorecard(). Got {type(scorecard).__name__} instead."
            )
        if not isinstance(blind, bool):
            raise TypeError(f"The 'blind' parameter of {func} must be True or False. Got {blind!r} instead.")
        call_ids = _names(calls, "calls", func)
        rater_names = _names(raters, "raters", func)
        if anchor is not None:
            if not isinstance(anchor, str):
                raise TypeError(
                    f"The 'anchor' parameter of {func} must be a rater's name or None. "
                    f"Got {anchor!r} instead."
                )
            anchor = _names([anchor], "anchor", func)[0]
            if anchor not in rater_names:
                rater_names.append(anchor)
        card = json.dumps(scorecard.to_dict(), ensure_ascii=False)

        def work(conn: Connection) -> None:
            taken = conn.execute(sa.select(_sessions.c.id).where(_sessions.c.name == name)).first()
            if taken is not None:
                raise ValueError(
                    f"A calibration session named {name!r} already exists in {self._safe}; "
                    "pick another name, or use the existing session."
                )
            session_id = conn.execute(
                _sessions.insert().values(name=name, scorecard=card, anchor=anchor, blind=blind,
                                          created_at=_now())
            ).inserted_primary_key[0]
            conn.execute(_calls.insert(), [
                {"session_id": session_id, "call_id": c, "position": i} for i, c in enumerate(call_ids)])
            conn.execute(_raters.insert(), [
                {"session_id": session_id, "rater": r, "position": i} for i, r in enumerate(rater_names)])

        try:
            self._run(work, write=True)
        except StoreError as err:
            if isinstance(err.__cause__, exc.IntegrityError):  # created by someone else just now
                raise ValueError(
                    f"A calibration session named {name!r} already exists in {self._safe}; "
                    "pick another name, or use the existing session."
                ) from err
            raise
        return name

    def sessions(self) -> pd.DataFrame:
        """Every session in the store, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``session``, ``scorecard`` (the form's name), ``calls``,
            ``raters`` (counts, the anchor included), ``anchor``, ``blind`` and
            ``created_at`` (UTC).
        """
        def work(conn: Connection) -> list:
            n_calls = (sa.select(sa.func.count()).select_from(_calls)
                       .where(_calls.c.session_id == _sessions.c.id).scalar_subquery())
            n_raters = (sa.select(sa.func.count()).select_from(_raters)
                        .where(_raters.c.session_id == _sessions.c.id).scalar_subquery())
            query = sa.select(_sessions.c.name, _sessions.c.scorecard, n_calls, n_raters,
                              _sessions.c.anchor, _sessions.c.blind, _sessions.c.created_at
                              ).order_by(_sessions.c.id)
            return conn.execute(query).all()

        rows = [(name, json.loads(card)["name"], calls, raters, anchor, bool(blind), created)
                for name, card, calls, raters, anchor, blind, created in self._run(work)]
        out = pd.DataFrame(rows, columns=["session", "scorecard", "calls", "raters", "anchor",
                                          "blind", "created_at"])
        out["created_at"] = pd.to_datetime(out["created_at"], utc=True)
        return out

    def _session(self, session: str, func: str) -> _Session:
        if not isinstance(session, str):
            raise TypeError(
                f"The 'session' parameter of {func} must be a session name. Got {session!r} instead."
            )
        cached = self._cache.get(session)
        if cached is not None:
            return cached

        def work(conn: Connection) -> _Session | list[str]:
            row = conn.execute(sa.select(_sessions).where(_sessions.c.name == session)).first()
            if row is None:
                return list(conn.execute(sa.select(_sessions.c.name).order_by(_sessions.c.id)).scalars())
            calls = conn.execute(sa.select(_calls.c.call_id).where(_calls.c.session_id == row.id)
                                 .order_by(_calls.c.position)).scalars()
            raters = conn.execute(sa.select(_raters.c.rater).where(_raters.c.session_id == row.id)
                                  .order_by(_raters.c.position)).scalars()
            return _Session(row.id, row.name, Scorecard.from_dict(json.loads(row.scorecard)),
                            row.anchor, bool(row.blind), tuple(calls), tuple(raters), row.created_at)

        found = self._run(work)
        if isinstance(found, list):
            raise UnknownNameError(
                f"There is no calibration session named {session!r} in {self._safe}. "
                f"Sessions: {_listing(found)}."
            )
        self._cache[session] = found  # sessions do not change once created
        return found

    def scorecard(self, session: str) -> Scorecard:
        """The scorecard the session is scored on."""
        return self._session(session, "scorecard").scorecard

    def raters(self, session: str) -> list[str]:
        """The session's raters, the anchor included, in the order given."""
        return list(self._session(session, "raters").raters)

    def calls(self, session: str) -> list[str]:
        """The session's call ids, in scoring order."""
        return list(self._session(session, "calls").calls)

    def _check_rater(self, meta: _Session, rater: Any, func: str, param: str = "rater") -> str:
        name = str(rater).strip() if rater is not None else ""
        if name not in meta.raters:
            raise UnknownNameError(
                f"{rater!r} (the {param!r} parameter of {func}) is not a rater in session "
                f"{meta.name!r}. Raters: {_listing(meta.raters)}."
            )
        return name

    # ---------------------------------------------------------------- scores
    def submit(self, session: str, rater: str, call: Hashable, scores: Mapping[str, Any]) -> None:
        """Store one rater's scores for one call; submitting again replaces them.

        Parameters
        ----------
        session : str
            The session name.
        rater : str
            Who scored (one of the session's raters or its anchor).
        call : hashable
            The call scored (one of the session's calls).
        scores : mapping of item id to score
            A score for every item of the session's scorecard: a point of the
            item's scale, its word ("yes", "fail") or "N/A" where allowed.

        Raises
        ------
        UnknownNameError
            No such session, rater or call (a ``KeyError``).
        KeyError, ValueError
            The scores name an item not on the card, leave one out, or are off the
            scale (the message names the item, the scale, the call and the rater).
        StoreBusyError
            The database stayed locked for longer than the store's timeout.

        Notes
        -----
        All items of the call are written in one transaction, so a call is either
        fully submitted or not at all. Re-submitting updates each item's score and
        ``submitted_at`` in place (an upsert on the unique key session, rater,
        call, item).
        """
        func = "submit"
        meta = self._session(session, func)
        name = self._check_rater(meta, rater, func)
        call_id = str(call).strip() if call is not None else ""
        if call_id not in meta.calls:
            raise UnknownNameError(
                f"{call!r} (the 'call' parameter of {func}) is not a call in session "
                f"{meta.name!r}. Calls: {_listing(meta.calls)}."
            )
        checked = meta.scorecard.check(scores, call=call_id, rater=name)
        when = _now()
        rows = [
            {"session_id": meta.id, "rater": name, "call_id": call_id, "item": item,
             "score": None if math.isnan(value) else value, "submitted_at": when}
            for item, value in checked.items()
        ]
        self._run(lambda conn: _upsert(conn, rows), write=True)

    def scores(self, session: str, *, as_rater: str | None = None) -> pd.DataFrame:
        """The session's item scores in long format, as the given rater may see them.

        Parameters
        ----------
        session : str
            The session name.
        as_rater : str, optional
            Whose view: in a blind session a rater sees only their own scores until
            they have submitted every call, then everyone's. None (the
            facilitator's view) shows every score.

        Returns
        -------
        pandas.DataFrame
            One row per call, rater and item, in the session's call, rater and
            scorecard order, with columns ``session``, ``call_id``, ``evaluator``,
            ``item``, ``score`` (float; NaN for N/A) and ``submitted_at`` (UTC).
            Feed it to :func:`callcoach.scorecard.score_evaluations` or, with
            ``targets=["call_id", "item"]``, to :mod:`callcoach.calibration`.
        """
        func = "scores"
        meta = self._session(session, func)
        viewer = None if as_rater is None else self._check_rater(meta, as_rater, func, "as_rater")

        def work(conn: Connection) -> list:
            query = (sa.select(_scores.c.call_id, _scores.c.rater, _scores.c.item, _scores.c.score,
                               _scores.c.submitted_at)
                     .where(_scores.c.session_id == meta.id))
            return conn.execute(query).all()

        frame = pd.DataFrame(self._run(work), columns=SCORE_COLUMNS[1:])
        if viewer is not None and meta.blind:
            done = set(frame.loc[frame["evaluator"] == viewer, "call_id"])
            if not done.issuperset(meta.calls):
                frame = frame[frame["evaluator"] == viewer]
        order = {
            "call_id": {c: i for i, c in enumerate(meta.calls)},
            "evaluator": {r: i for i, r in enumerate(meta.raters)},
            "item": {it: i for i, it in enumerate(meta.scorecard.item_ids)},
        }
        # Items no longer on the card cannot occur (submit checks), but sort them last anyway.
        keys = {col: frame[col].map(pos).fillna(len(pos)) for col, pos in order.items()}
        frame = frame.assign(**{f"_{c}": k for c, k in keys.items()})
        frame = frame.sort_values(["_call_id", "_evaluator", "_item"], kind="stable")
        frame = frame.drop(columns=[f"_{c}" for c in order]).reset_index(drop=True)
        frame.insert(0, "session", meta.name)
        frame["score"] = frame["score"].astype(float)
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
        return frame[SCORE_COLUMNS]

    def totals(
        self, session: str, *, as_rater: str | None = None, method: str = "points", na: str = "drop"
    ) -> pd.DataFrame:
        """Section scores and totals per call and rater, from :meth:`scores`.

        The same blind rule applies. ``method`` and ``na`` are passed to
        :func:`callcoach.scorecard.score_evaluations`, whose output this is.
        """
        meta = self._session(session, "totals")
        frame = self.scores(session, as_rater=as_rater)
        result = score_evaluations(frame, meta.scorecard, method=method, na=na)
        calls = {c: i for i, c in enumerate(meta.calls)}
        raters = {r: i for i, r in enumerate(meta.raters)}
        result = result.sort_values(
            ["call_id", "evaluator"], key=lambda s: s.map(calls if s.name == "call_id" else raters)
        ).reset_index(drop=True)
        return result

    def progress(self, session: str) -> pd.DataFrame:
        """Who has submitted what: one row per rater, in the session's order.

        Returns
        -------
        pandas.DataFrame
            Columns ``evaluator``, ``anchor`` (True for the anchor), ``submitted``
            (calls submitted), ``calls`` (calls in the session), ``complete``
            (every call submitted: in a blind session, the rater may now see
            peers' scores), ``missing`` (list of call ids still to score) and
            ``last_submitted_at`` (UTC; NaT before the first submission).
        """
        meta = self._session(session, "progress")

        def work(conn: Connection) -> list:
            query = (sa.select(_scores.c.rater, _scores.c.call_id, sa.func.max(_scores.c.submitted_at))
                     .where(_scores.c.session_id == meta.id)
                     .group_by(_scores.c.rater, _scores.c.call_id))
            return conn.execute(query).all()

        done: dict[str, set[str]] = {r: set() for r in meta.raters}
        last: dict[str, Any] = {}
        for rater, call, when in self._run(work):
            done.setdefault(rater, set()).add(call)
            stamp = pd.Timestamp(when)
            stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
            last[rater] = max(last.get(rater, stamp), stamp)
        rows = []
        for rater in meta.raters:
            missing = [c for c in meta.calls if c not in done[rater]]
            rows.append({
                "evaluator": rater,
                "anchor": rater == meta.anchor,
                "submitted": len(meta.calls) - len(missing),
                "calls": len(meta.calls),
                "complete": not missing,
                "missing": missing,
                "last_submitted_at": last.get(rater, pd.NaT),
            })
        out = pd.DataFrame(rows)
        out["last_submitted_at"] = pd.to_datetime(out["last_submitted_at"], utc=True)
        return out


def _upsert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert rows into calib_scores, or update score and time where the key exists."""
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(_scores).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=_KEY,
            set_={"score": stmt.excluded.score, "submitted_at": stmt.excluded.submitted_at},
        )
        conn.execute(stmt)
        return
    # Other databases: update, then insert what was not there. Two writers racing on
    # the same key make one insert fail on the unique constraint; the caller's
    # transaction is then rolled back and reported (re-submitting fixes it).
    for row in rows:
        where = sa.and_(*(_scores.c[k] == row[k] for k in _KEY))
        updated = conn.execute(
            _scores.update().where(where).values(score=row["score"], submitted_at=row["submitted_at"])
        ).rowcount
        if not updated:
            conn.execute(_scores.insert().values(**row))
