"""podium: self-hosted live audience participation for online and hybrid events."""

__version__ = "0.1.0"
