"""The simulated Android phone."""
