"""core.sqlite: write transactions on a file database queue on ``<database>.lock``."""

import fcntl
import os
import threading

import pytest
from django.db.utils import ConnectionHandler


@pytest.fixture
def file_db(tmp_path, django_db_blocker):
    """A connection to a SQLite file of its own, configured as settings.py does."""
    django_db_blocker.unblock()
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "core.sqlite",
                "NAME": str(tmp_path / "db.sqlite3"),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 5},
            }
        }
    )
    connection = handler["default"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    yield connection
    connection.close()
    django_db_blocker.restore()


def lock_is_free(path):
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_it_holds_the_lock_for_a_transaction_and_frees_it_on_commit(file_db):
    lock = file_db.settings_dict["NAME"] + ".lock"
    with file_db.cursor() as cursor:
        file_db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        assert not lock_is_free(lock)
        cursor.execute("INSERT INTO t VALUES (1)")
        file_db.commit()
        file_db.set_autocommit(True)
    assert lock_is_free(lock)


def test_it_frees_the_lock_on_rollback_and_on_close(file_db):
    lock = file_db.settings_dict["NAME"] + ".lock"
    file_db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    assert not lock_is_free(lock)
    file_db.rollback()
    file_db.set_autocommit(True)
    assert lock_is_free(lock)
    file_db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    file_db.close()
    assert lock_is_free(lock)


def test_it_makes_a_second_writer_wait_for_the_first(file_db):
    order = []
    first_in = threading.Event()

    def second():  # another worker: its own connection, made in its own thread
        other = ConnectionHandler({"default": {**file_db.settings_dict}})["default"]
        first_in.wait()
        other.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        order.append("second began")
        other.rollback()
        other.set_autocommit(True)
        other.close()

    thread = threading.Thread(target=second)
    thread.start()
    file_db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    first_in.set()
    thread.join(timeout=0.3)
    assert thread.is_alive() and order == []  # queued behind the first transaction
    order.append("first committed")
    file_db.commit()
    file_db.set_autocommit(True)
    thread.join(timeout=5)
    assert order == ["first committed", "second began"]
