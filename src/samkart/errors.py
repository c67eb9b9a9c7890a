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


class QueryError(SamkartError):
    """A SPARQL query could not be parsed or evaluated."""

    code = "query_error"


class ParameterError(SamkartError):
    """A parameter value is not acceptable (status 400)."""

    code = "invalid_parameter"


class TooManyRows(SamkartError):
    """A result has more rows than the max_rows setting allows (status 400)."""

    code = "too_many_rows"


class ResultTooLarge(SamkartError):
    """A result's body is over the max_result_bytes setting (status 400; never a cut body)."""

    code = "result_too_large"


class QueryMemoryExceeded(SamkartError):
    """A query needed more memory than the query_memory setting allows; its worker was stopped (status 400)."""

    code = "query_memory_limit"


class ReadOnly(SamkartError):
    """An update was sent to the read-only endpoint (status 403)."""

    status, code = 403, "read_only"


class NotFound(SamkartError):
    """Nothing is known about a resource, or no named query has that name (status 404)."""

    status, code = 404, "not_found"


class NotAcceptable(SamkartError):
    """No format the client accepts fits the result (status 406)."""

    status, code = 406, "not_acceptable"


class UnsupportedMediaType(SamkartError):
    """The request body's content type is not one the endpoint takes (status 415)."""

    status, code = 415, "unsupported_media_type"


class UpstreamError(SamkartError):
    """The remote SPARQL engine failed or could not be reached (status 502)."""

    status, code = 502, "upstream_error"


class QueryTimeout(SamkartError):
    """A query ran past the timeout (status 504)."""

    status, code = 504, "timeout"


class Busy(SamkartError):
    """Too many heavy queries run at once; the client should retry later."""

    status = 503
    code = "busy"


class TooManyRequests(SamkartError):
    """One client has more queries running or waiting than the max_client_queries setting allows (status 429)."""

    status = 429
    code = "too_many_requests"


class PayloadTooLarge(SamkartError):
    """A request body or query text is over its documented limit."""

    status = 413
    code = "too_large"


class Unauthorized(SamkartError):
    """An admin route was called without the right token."""

    status = 401
    code = "unauthorized"


class Conflict(SamkartError):
    """A reload was refused: the new data is broken; the old data keeps serving."""

    status = 409
    code = "reload_refused"
