"""One way to end a unit of work: commit it, or roll it back on an error or for a dry run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def transaction(session: Session | None = None, *, dry_run: bool = False, nested: bool = False) -> Iterator[Session]:
    """Commit what the block did when it ends normally; roll it back when it raises (and re-raise) or when this is
    a dry run. The session defaults to Flask-SQLAlchemy's `db.session`.

    The block works in the session's own transaction, so reads before it (a row locked FOR UPDATE, say) are part
    of the same transaction. With `nested=True` the block is a SAVEPOINT inside the caller's transaction instead:
    released (or rolled back) at the end, and the caller still commits.
    """
    if session is None:
        from wsp_site.extensions import db

        session = db.session
    if nested:
        savepoint = session.begin_nested()
        try:
            yield session
            if dry_run:
                savepoint.rollback()
            else:
                savepoint.commit()
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        return
    try:
        yield session
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
