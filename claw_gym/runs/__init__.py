"""Runners over the whole suite: the manifest's hashes, the full sweep, the generated docs, a task's
phone over adb. They play episodes, so they sit in the top layer (with ``cli`` and ``bench``) and
may use anything; the layers below never import them.

- ``python -m claw_gym.runs.manifest --write | --check``  (was ``claw_gym.tasks.manifest``)
- ``python -m claw_gym.runs.sweep [--workers N] ...``     (was ``claw_gym.tasks.sweep``)
- ``python -m claw_gym.runs.figures --write | --check``   (was ``claw_gym.tasks.figures``)
- ``python -m claw_gym.runs.phone_server --task ID``      (was ``claw_gym.devices.adb --task ID``)
"""
