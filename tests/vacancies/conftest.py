from tests.backoffice.conftest import login_as, make_staff  # noqa: F401 - the back office's fixtures
