"""A register of city-to-city partnership agreements."""

__version__ = "0.1.0"
