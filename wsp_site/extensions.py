"""Flask extensions, created unbound here and bound in create_app()."""

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic's batch mode alter tables on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, and let readers work while a writer commits."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (so SAVEPOINTs work).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL syncs at checkpoints, not at every commit (SQLite's fsync was about 4 ms of each contact
        # submission): the database cannot be corrupted, and a crash of the process loses nothing; only a power
        # cut may undo the last commits. PostgreSQL, the production database, is not affected.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A writer waits up to 20 s for the write lock rather than failing: a form POST holds it while it hashes
        # a password or routes a lead, and on a busy or slow machine ten of those queued up took more than 5 s.
        cursor.execute("PRAGMA busy_timeout=20000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """SQLite: a request that changes something (POST and the like) takes the write lock when its transaction
    begins, waiting for another writer up to busy_timeout. Begun as a plain reader, it would read first and then
    fail at its first write ("database is locked") whenever another writer committed in between: two
    employers sending the form at the same moment lost one lead. Readers (GET) never wait (WAL)."""
    if connection.dialect.name == "sqlite":
        writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
