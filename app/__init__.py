"""Repair Station: the desktop program of an after-sales repair station (维修站)."""

__version__ = "0.1.0"
