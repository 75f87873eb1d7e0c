from __future__ import annotations

import pytest

import claw_gym
from claw_gym.tasks import families


@pytest.fixture(scope="session")
def family_names() -> list[str]:
    return list(families())


def first_task_of(family: str) -> str:
    return claw_gym.catalog(family=family)[0].task_id
