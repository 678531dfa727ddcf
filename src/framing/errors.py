"""The project's own exceptions: each message says what went wrong and what to do."""

__all__ = [
    "DataError",
    "FramingError",
    "InputError",
    "ModelError",
]


class FramingError(Exception):
    """Base class for errors a user can act on (the CLI prints them as one line)."""


class ModelError(FramingError):
    """A model artifact is missing, corrupted or does not match its manifest."""


class DataError(FramingError):
    """Training or evaluation data is missing or unusable."""


class InputError(FramingError):
    """Text or a file given for scoring cannot be used."""
