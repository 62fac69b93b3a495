"""Fixtures for the action tests (no tests/conftest.py: the backend tests have their own)."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from tests.actions.helpers import load_domain


@pytest.fixture(scope="session")
def domain() -> dict:
    return load_domain()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
