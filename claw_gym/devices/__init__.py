"""Devices an agent drives: the laptop (a sandboxed bash) and the phone (simulated, or real over adb)."""
