"""问数 — answers questions about work reports with exact figures and cited sentences, offline."""

__version__ = "0.1.0"
