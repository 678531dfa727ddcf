"""The project's own exceptions: each message says what went wrong and what to do."""

__all__ = [
    "DataError",
    "FramingError",
    "InputError",
    "ModelError",
    "OptionError",
    "require_at_least",
]


class FramingError(Exception):
    """Base class for errors a user can act on (the CLI prints them as one line)."""


class ModelError(FramingError):
    """A model artifact is missing, corrupted or does not match its manifest."""


class DataError(FramingError):
    """Training or evaluation data is missing or unusable."""


class InputError(FramingError, ValueError):
    """Text or a file given for scoring cannot be used (also a :class:`ValueError`, as a bad
    argument is in Python)."""


class OptionError(InputError):
    """An option out of its range, named by the library's parameter names; a command line
    names its flags instead (:meth:`as_flags`).

    Args:
        rule: the message, with ``{}`` for each parameter's name.
        parameters: the parameters the rule names.
    """

    def __init__(self, rule: str, *parameters: str):
        self.rule = rule
        self.parameters = parameters
        super().__init__(rule.format(*parameters))

    def as_flags(self) -> InputError:
        """The same message naming the command-line flags (``max_chars``: ``--max-chars``)."""
        flags = (f"--{p.replace('_', '-')}" for p in self.parameters)
        return InputError(self.rule.format(*flags))


def require_at_least(parameter: str, value, minimum: int = 1) -> None:
    """An :class:`OptionError` unless ``value`` is a whole number of at least ``minimum``:
    the one rule for the counts and sizes of every surface."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        shown = repr(value).replace("{", "{{").replace("}", "}}")
        raise OptionError(f"{{}} must be at least {minimum} (got {shown})", parameter)
