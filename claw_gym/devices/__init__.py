"""Devices an agent drives: the phone (simulated or real over adb)."""
