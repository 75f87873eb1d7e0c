"""Devices of the simulated person: the laptop (a sandboxed bash) and, later, the phone."""
