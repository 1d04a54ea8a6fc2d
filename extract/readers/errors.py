"""The one error readers raise."""


class ReaderError(Exception):
    """A file that cannot be read as a report; ``code`` is a stable error class."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
