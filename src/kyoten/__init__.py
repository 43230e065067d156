"""Kyoten (拠点): the software for running the WPI research-center program."""

__version__ = "0.1.0"
