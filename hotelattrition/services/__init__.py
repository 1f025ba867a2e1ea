"""Use cases: call the domain and documents, add and flush, never commit (the edges commit)."""


class ServiceError(Exception):
    """A use case refused: the message says what to do; `problems` name fields where known."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []


class NotFound(ServiceError):
    """The thing asked for does not exist."""


class AlreadyExists(ServiceError):
    """The thing to create exists already."""
