"""Django's SQLite backend, with write transactions queued on a file lock.

SQLite lets one writer in at a time. A second gunicorn worker that finds the database
locked at ``BEGIN IMMEDIATE`` waits in SQLite's busy handler, which polls with sleeps that
grow from 1 ms to 100 ms: under a burst of writes (athletes logging sets) the workers
spent most of their time asleep while the lock was free (bench/README.md, finding 5).
Here each write transaction first takes an exclusive ``flock`` on ``<database>.lock``;
the kernel wakes the next waiter the moment the lock is released, in commit order.

Only transactions (``atomic`` blocks) queue here. A single statement outside one still
meets SQLite's own lock and busy timeout, so nothing can wait on both in a cycle. An
in-memory database (the test suite's) has no file to share and no lock.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    lock_fd = None
    lock_held = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db() and self.lock_fd is None:
            self.lock_fd = os.open(f"{self.settings_dict['NAME']}.lock", os.O_RDWR | os.O_CREAT)
        return connection

    def _start_transaction_under_autocommit(self):
        self.acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self.release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.release_write_lock()
            if self.lock_fd is not None:
                os.close(self.lock_fd)
                self.lock_fd = None

    def acquire_write_lock(self):
        if self.lock_fd is not None and not self.lock_held:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX)
            self.lock_held = True

    def release_write_lock(self):
        if self.lock_held:
            self.lock_held = False
            fcntl.flock(self.lock_fd, fcntl.LOCK_UN)
