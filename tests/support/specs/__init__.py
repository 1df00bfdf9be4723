"""The official Azure REST API specs (``tests/fixtures/specs``) as a test oracle: ``book()`` (the
operations), ``check(exchange)`` (request + response against the spec), ``record(server)`` (every
exchange a demo Azure answers)."""

from .book import SpecBook, book
from .check import Exchange, check, check_request, check_response
from .recorder import Recorder, record

__all__ = ["Exchange", "Recorder", "SpecBook", "book", "check", "check_request", "check_response", "record"]
