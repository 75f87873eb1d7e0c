"""The laptop: a bash in a bubblewrap sandbox, its home as the ``files`` service, and ``claw``."""

from .laptop import DEFAULT_TIMEOUT, MAX_TIMEOUT, SANDBOXES, Laptop, LaptopError, parse_timeout
from .sandbox import SandboxLimits

__all__ = ["Laptop", "LaptopError", "SandboxLimits", "parse_timeout", "DEFAULT_TIMEOUT", "MAX_TIMEOUT", "SANDBOXES"]
