"""Devices an agent can hold: the simulated phone and its transports."""
