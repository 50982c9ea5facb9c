"""Tests for callcoach.store: round trips, upserts, blind mode, errors, concurrent raters.

Behaviours are checked on SQLite (a file) and on a real PostgreSQL server that
``tests/pg.py`` starts on loopback for the test session (skipped with an install hint
when PostgreSQL is missing, failed when CI=true).
"""
from __future__ import annotations

import importlib
import multiprocessing
import socket
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
import sqlalchemy as sa

from callcoach.scorecard import Item, Scorecard, Section, default_scorecard
from callcoach.store import (
    SessionStore,
    StoreBusyError,
    StoreConnectionError,
    UnknownNameError,
    safe_url,
)
from pg import postgres_url  # noqa: F401  (a pytest fixture)

GOOD = {"greeting": 2, "verify_identity": "yes", "accurate_info": 2, "proactive_offer": 1,
        "feedback_raised": "N/A", "empathy": 4, "hold_etiquette": "N/A",
        "followup_recorded": 2, "closing": 2}
CALLS = ["C-101", "C-102", "C-103"]

@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> Iterator[str]:
    """An empty database: a SQLite file, or the test PostgreSQL database (emptied afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'calibration.db'}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS calib_scores, calib_calls, calib_raters, "
                             "calib_sessions, calib_meta")
    engine.dispose()


@pytest.fixture
def store(url):
    with SessionStore(url) as store:
        yield store


@pytest.fixture
def march(store) -> str:
    return store.create_session("March", calls=CALLS, raters=["Ana", "Ben"],
                                scorecard=default_scorecard(), anchor="expert")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------- round trips
def test_submitted_scores_come_back_in_long_format(store, march):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    store.submit(march, "Ana", "C-102", GOOD)
    store.submit(march, "expert", "C-101", {**GOOD, "empathy": 5})
    got = store.scores(march)
    assert got.columns.tolist() == ["session", "call_id", "evaluator", "item", "score", "submitted_at"]
    assert len(got) == 2 * 9
    # session order: calls as given, then raters, then the scorecard's item order
    assert got[["call_id", "evaluator"]].drop_duplicates().values.tolist() == [["C-101", "expert"], ["C-102", "Ana"]]
    assert got["item"].tolist()[:9] == list(default_scorecard().item_ids)
    ana = got[got["evaluator"] == "Ana"].set_index("item")["score"]
    assert ana["verify_identity"] == 1.0 and ana["empathy"] == 4.0
    assert ana[["feedback_raised", "hold_etiquette"]].isna().all()  # N/A
    assert (got["session"] == "March").all()
    assert str(got["submitted_at"].dt.tz) == "UTC"
    assert (got["submitted_at"] >= before).all()
    assert (got["submitted_at"] <= datetime.now(timezone.utc) + timedelta(seconds=1)).all()


def test_sessions_and_their_scorecard_persist_across_store_objects(url):
    card = Scorecard("Mini", [Section("s", "S", [Item("a", scale="0-2"), Item("b", na_allowed=True)])])
    with SessionStore(url) as first:
        first.create_session("Feb", calls=[101, 102], raters=["Ana"], scorecard=card, anchor=None)
        first.submit("Feb", "Ana", 101, {"a": 2, "b": "N/A"})
    with SessionStore(url) as second:
        assert second.scorecard("Feb") == card
        assert second.calls("Feb") == ["101", "102"]  # call ids are stored as text
        assert second.raters("Feb") == ["Ana"]
        assert second.scores("Feb")["score"].tolist()[0] == 2.0
        listing = second.sessions()
        assert listing[["session", "scorecard", "calls", "raters", "anchor", "blind"]].values.tolist() == [
            ["Feb", "Mini", 2, 1, None, True]]


def test_resubmitting_updates_the_scores_and_never_duplicates_them(store, march, url):
    store.submit(march, "Ana", "C-101", GOOD)
    first = store.scores(march)["submitted_at"].max()
    time.sleep(0.01)
    store.submit(march, "Ana", "C-101", {**GOOD, "greeting": 0, "hold_etiquette": 1})
    store.submit(march, "Ana", "C-101", {**GOOD, "greeting": 1, "hold_etiquette": 2})
    got = store.scores(march).set_index("item")
    assert len(got) == 9
    assert got.loc["greeting", "score"] == 1.0 and got.loc["hold_etiquette", "score"] == 2.0
    assert (got["submitted_at"] > first).all()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM calib_scores").scalar() == 9
    engine.dispose()


def test_the_database_itself_refuses_a_second_row_for_the_same_item(store, march, url):
    store.submit(march, "Ana", "C-101", GOOD)
    engine = sa.create_engine(url)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO calib_scores (session_id, rater, call_id, item, score, submitted_at) "
            "SELECT session_id, rater, call_id, item, 0, submitted_at FROM calib_scores")
    engine.dispose()


def test_totals_score_each_submitted_call_on_the_sessions_scorecard(store, march):
    store.submit(march, "Ana", "C-101", GOOD)
    store.submit(march, "Ben", "C-101", {**GOOD, "verify_identity": "no"})
    totals = store.totals(march)
    assert totals[["evaluator", "fail_all"]].values.tolist() == [["Ana", False], ["Ben", True]]
    # 5 + 10 + 25 + 5 + 11.25 + 15 + 10 = 81.25 of 90 applicable points
    assert totals["total"].tolist() == pytest.approx([100 * 81.25 / 90, 0.0])


# --------------------------------------------------------------------- blind mode
def test_blind_raters_see_only_their_own_scores_until_every_call_is_submitted(store, march):
    for rater in ["Ben", "expert"]:
        for call in CALLS:
            store.submit(march, rater, call, GOOD)
    store.submit(march, "Ana", "C-101", GOOD)
    store.submit(march, "Ana", "C-102", GOOD)
    assert store.scores(march, as_rater="Ana")["evaluator"].unique().tolist() == ["Ana"]
    assert store.totals(march, as_rater="Ana")["evaluator"].unique().tolist() == ["Ana"]
    store.submit(march, "Ana", "C-103", GOOD)
    view = store.scores(march, as_rater="Ana")
    assert view["evaluator"].unique().tolist() == ["Ana", "Ben", "expert"]
    assert len(view) == 3 * 3 * 9


def test_a_blind_rater_who_has_submitted_nothing_sees_nothing(store, march):
    store.submit(march, "expert", "C-101", GOOD)
    assert store.scores(march, as_rater="Ana").empty
    assert len(store.scores(march, as_rater="expert")) == 9  # the anchor's own view is blind too


def test_the_facilitator_and_non_blind_sessions_see_every_score(store):
    store.create_session("Open", calls=CALLS, raters=["Ana", "Ben"], scorecard=default_scorecard(), blind=False)
    store.create_session("Blind", calls=CALLS, raters=["Ana", "Ben"], scorecard=default_scorecard())
    for session in ("Open", "Blind"):
        store.submit(session, "Ben", "C-101", GOOD)
        store.submit(session, "Ana", "C-101", GOOD)
    assert store.scores("Open", as_rater="Ana")["evaluator"].unique().tolist() == ["Ana", "Ben"]
    assert store.scores("Blind")["evaluator"].unique().tolist() == ["Ana", "Ben"]
    assert store.scores("Blind", as_rater="Ana")["evaluator"].unique().tolist() == ["Ana"]


# ----------------------------------------------------------------------- progress
def test_progress_shows_who_has_submitted_what(store, march):
    store.submit(march, "Ana", "C-103", GOOD)
    store.submit(march, "Ana", "C-101", GOOD)
    for call in CALLS:
        store.submit(march, "Ben", call, GOOD)
    store.submit(march, "Ana", "C-101", GOOD)  # a re-submission counts once
    got = store.progress(march)
    assert got.columns.tolist() == ["evaluator", "anchor", "submitted", "calls", "complete",
                                    "missing", "last_submitted_at"]
    assert got[["evaluator", "anchor", "submitted", "calls", "complete"]].values.tolist() == [
        ["Ana", False, 2, 3, False], ["Ben", False, 3, 3, True], ["expert", True, 0, 3, False]]
    assert got["missing"].tolist() == [["C-102"], [], CALLS]
    assert got["last_submitted_at"].iloc[0] > got["last_submitted_at"].iloc[1]
    assert pd.isna(got["last_submitted_at"].iloc[2])


# ------------------------------------------------------------------------ errors
def test_an_unknown_session_is_named_with_the_sessions_that_exist(store, march):
    with pytest.raises(KeyError, match=r"There is no calibration session named 'Marhc' in .*Sessions: 'March'\."):
        store.submit("Marhc", "Ana", "C-101", GOOD)
    with pytest.raises(UnknownNameError):
        store.scores("April")


def test_an_unknown_rater_or_call_is_named_with_the_ones_in_the_session(store, march):
    with pytest.raises(KeyError, match=r"'Bob' \(the 'rater' parameter of submit\) is not a rater in session "
                                       r"'March'\. Raters: 'Ana', 'Ben', 'expert'\."):
        store.submit(march, "Bob", "C-101", GOOD)
    with pytest.raises(KeyError, match=r"'C-999' \(the 'call' parameter of submit\) is not a call in session "
                                       r"'March'\. Calls: 'C-101', 'C-102', 'C-103'\."):
        store.submit(march, "Ana", "C-999", GOOD)
    with pytest.raises(KeyError, match="'Zoe' \\(the 'as_rater' parameter of scores\\)"):
        store.scores(march, as_rater="Zoe")


def test_scores_are_checked_against_the_sessions_scorecard_before_anything_is_written(store, march):
    store.create_session("April", calls=["C-104"], raters=["Ana"], scorecard=default_scorecard())
    with pytest.raises(ValueError, match=r"^Item 'greeting' is scored on 0-2\. Got 3 for call 'C-104' by 'Ana'\.$"):
        store.submit("April", "Ana", "C-104", {**GOOD, "greeting": 3})
    with pytest.raises(ValueError, match="leave out 1 item of scorecard 'Harbour Mobile QA': 'closing'"):
        store.submit(march, "Ana", "C-101", {k: v for k, v in GOOD.items() if k != "closing"})
    with pytest.raises(KeyError, match="name 'greting', which is not an item"):
        store.submit(march, "Ana", "C-101", {**GOOD, "greting": 1})
    with pytest.raises(ValueError, match="Item 'accurate_info' is scored on 0-2 and cannot be N/A"):
        store.submit(march, "Ana", "C-101", {**GOOD, "accurate_info": "N/A"})
    assert store.scores(march).empty and store.scores("April").empty


def test_bad_session_definitions_are_rejected(store, march):
    card = default_scorecard()
    with pytest.raises(ValueError, match="A calibration session named 'March' already exists"):
        store.create_session("March", calls=CALLS, raters=["Ana"], scorecard=card)
    with pytest.raises(ValueError, match="The 'calls' parameter of create_session is empty"):
        store.create_session("X", calls=[], raters=["Ana"], scorecard=card)
    with pytest.raises(ValueError, match="The 'raters' parameter of create_session names 'Ana' more than once"):
        store.create_session("X", calls=CALLS, raters=["Ana", "Ben", "Ana"], scorecard=card)
    with pytest.raises(TypeError, match="The 'calls' parameter of create_session must be a list of names"):
        store.create_session("X", calls="C-101", raters=["Ana"], scorecard=card)
    with pytest.raises(TypeError, match="The 'scorecard' parameter of create_session must be a Scorecard"):
        store.create_session("X", calls=CALLS, raters=["Ana"], scorecard=card.to_dict())
    assert store.sessions()["session"].tolist() == ["March"]


def test_an_unreachable_database_is_named_with_its_password_hidden():
    port = _closed_port()
    url = f"postgresql+psycopg://coach:s3cret-pw@127.0.0.1:{port}/calib"
    with pytest.raises(StoreConnectionError) as caught:
        SessionStore(url, timeout=5)
    message = str(caught.value)
    assert message.startswith(
        f"Could not connect to the calibration store at postgresql+psycopg://coach:***@127.0.0.1:{port}/calib: ")
    assert "s3cret" not in message and "s3cret" not in str(caught.value.__cause__)
    assert isinstance(caught.value, ConnectionError)


def test_a_plain_postgresql_url_uses_psycopg_3():
    with pytest.raises(StoreConnectionError, match=r"at postgresql\+psycopg://qa:\*\*\*@127\.0\.0\.1"):
        SessionStore(f"postgresql://qa:pw@127.0.0.1:{_closed_port()}/calib", timeout=5)


def test_a_sqlite_file_that_cannot_be_opened_is_named(tmp_path):
    missing = tmp_path / "no such folder" / "calibration.db"
    with pytest.raises(StoreConnectionError, match=r"Could not connect to the calibration store at "
                                                   r"sqlite:///.*calibration\.db: unable to open database file\. "
                                                   r"Check that the folder exists"):
        SessionStore(missing)


def test_a_bad_url_or_timeout_says_what_was_expected():
    with pytest.raises(ValueError, match=r"is not a database URL: 'postgresql://qa:\*\*\*@host:port/x'"):
        SessionStore("postgresql://qa:secret@host:port/x")
    with pytest.raises(ValueError, match="The 'timeout' parameter of SessionStore must be a positive number"):
        SessionStore("sqlite://", timeout=0)
    assert safe_url("sqlite:///calibration.db") == "sqlite:///calibration.db"


def test_a_sqlite_store_uses_wal_and_a_busy_timeout(tmp_path):
    path = tmp_path / "calibration.db"
    with SessionStore(path, timeout=7) as store:
        assert repr(store) == f"SessionStore('sqlite:///{path}')"
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7000
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_write_that_stays_locked_fails_with_a_busy_error_and_writes_nothing(tmp_path):
    path = tmp_path / "calibration.db"
    with SessionStore(path, timeout=0.3) as store:
        store.create_session("March", calls=CALLS, raters=["Ana"], scorecard=default_scorecard())
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            with pytest.raises(StoreBusyError, match=r"stayed busy for 0\.3 s \(database is locked\); nothing was written"):
                store.submit("March", "Ana", "C-101", GOOD)
        finally:
            blocker.rollback()
            blocker.close()
        assert store.scores("March").empty
        store.submit("March", "Ana", "C-101", GOOD)
        assert len(store.scores("March")) == 9


# --------------------------------------------------------------------- concurrency
N_PROCESSES, N_CALLS, N_RESUBMITTED = 8, 200, 20
TINY = Scorecard("Tiny", [Section("s", "S", [
    Item("ok", scale="yes/no"), Item("level", scale="0-2"), Item("tone", scale="1-5", na_allowed=True)])])


def _scores_for(rater_no: int, call_no: int, revision: int) -> dict:
    return {"ok": (rater_no + call_no) % 2, "level": (call_no + revision) % 3,
            "tone": "N/A" if call_no % 7 == 0 else 1 + (rater_no + call_no + revision) % 5}


def _rater_process(url: str, rater_no: int, barrier) -> None:
    """One evaluator's kernel: open the store, wait for the others, submit every call."""
    store = SessionStore(url, timeout=60)
    barrier.wait(timeout=60)
    for call_no in range(N_CALLS):
        store.submit("Load", f"R{rater_no}", f"C{call_no}", _scores_for(rater_no, call_no, 0))
    for call_no in range(N_RESUBMITTED):  # change their mind on a few: updates, not new rows
        store.submit("Load", f"R{rater_no}", f"C{call_no}", _scores_for(rater_no, call_no, 1))
    store.close()


def test_concurrent_raters_in_separate_processes_lose_nothing(url):
    with SessionStore(url) as store:
        store.create_session("Load", calls=[f"C{i}" for i in range(N_CALLS)],
                             raters=[f"R{i}" for i in range(N_PROCESSES)], scorecard=TINY, anchor=None)
    # forkserver (POSIX): each rater process forks from a server that has imported
    # callcoach once, so eight processes start in well under a second; spawn elsewhere.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["callcoach.store", "pytest"])
    else:
        context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(N_PROCESSES)
    # pytest imports this file as 'tests.test_store' (importlib mode), a name the rater
    # processes cannot import; as 'test_store' they can (tests/ is on sys.path).
    target = importlib.import_module("test_store")._rater_process
    processes = [context.Process(target=target, args=(url, i, barrier)) for i in range(N_PROCESSES)]
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.join(timeout=120)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join()
    assert [p.exitcode for p in processes] == [0] * N_PROCESSES

    with SessionStore(url) as store:
        got = store.scores("Load")
        progress = store.progress("Load")
    submissions = got[["evaluator", "call_id"]].drop_duplicates()
    assert len(submissions) == N_PROCESSES * N_CALLS == 1600
    assert len(got) == 1600 * 3
    assert not got.duplicated(["call_id", "evaluator", "item"]).any()
    assert progress["complete"].all()
    expected = {
        (f"C{c}", f"R{r}", item): (float("nan") if value == "N/A" else float(value))
        for r in range(N_PROCESSES) for c in range(N_CALLS)
        for item, value in _scores_for(r, c, int(c < N_RESUBMITTED)).items()
    }
    actual = {(c, e, i): s for c, e, i, s in got[["call_id", "evaluator", "item", "score"]].itertuples(index=False)}
    assert actual.keys() == expected.keys()
    assert all(actual[k] == v or (v != v and actual[k] != actual[k]) for k, v in expected.items())
