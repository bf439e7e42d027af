"""Safetrail: an encrypted diary and evidence vault for people who are being stalked or harassed."""

__version__ = "0.1.0"
