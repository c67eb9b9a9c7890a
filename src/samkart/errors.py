"""Domain errors: each carries a message that says what is wrong and how to fix it."""


class SamkartError(Exception):
    """Base class for every error samkart reports to a user (CLI line or HTTP error body)."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(SamkartError):
    """A data or source file is malformed or refers to something unknown."""

    code = "invalid_input"

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(where + message)
        self.path = path
        self.line = line


class ValidationFailed(SamkartError):
    """SHACL validation found violations."""

    code = "validation_failed"


class QueryError(SamkartError):
    """A SPARQL query could not be parsed or evaluated."""

    code = "query_error"
