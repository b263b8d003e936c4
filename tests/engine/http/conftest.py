"""The REST API fixture (`api`) for every test of this folder."""

from tests.engine.http.api_env import api  # noqa: F401 - fixture
