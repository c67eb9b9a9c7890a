"""Strict parsing of query strings and form bodies: invalid UTF-8 or percent-encoding is a 400."""

from urllib.parse import parse_qs, unquote_plus

from fastapi import Request

from samkart.errors import PayloadTooLarge, SamkartError


class BadRequest(SamkartError):
    """A malformed request (status 400)."""


DEFAULT_MAX_PARAMETERS = 100
OFF_LOOP = 64 * 1024
"""Form bodies longer than this are decoded in a thread, not on the event loop."""


def parse_pairs(raw: bytes | str, where: str, max_parameters: int = DEFAULT_MAX_PARAMETERS,
                wanted: frozenset[str] | None = None) -> dict[str, list[str]]:
    """Name → values of an urlencoded string; refuses more than ``max_parameters`` parameters (counted before
    anything is decoded) and bytes or escapes that are not UTF-8. With ``wanted``, only those parameters are
    decoded (the others are dropped unread)."""
    separators = raw.count(b"&") if isinstance(raw, bytes) else raw.count("&")
    count = separators + 1 if raw else 0
    if count > max_parameters:
        raise BadRequest(f"the {where} has {count} parameters; this endpoint takes at most {max_parameters} "
                         "(SAMKART_MAX_PARAMETERS)")
    if wanted is not None and isinstance(raw, bytes):
        raw = b"&".join(field for field in raw.split(b"&") if unquote_plus(field.split(b"=", 1)[0].decode("latin-1")) in wanted)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"the {where} is not valid UTF-8") from None


def max_parameters(request: Request) -> int:
    """The SAMKART_MAX_PARAMETERS of the app serving ``request``."""
    state = getattr(request.app.state, "samkart", None)
    return state.settings.max_parameters if state is not None else DEFAULT_MAX_PARAMETERS


def query_params(request: Request) -> dict[str, list[str]]:
    """The URL's query parameters, strictly decoded."""
    return parse_pairs(request.scope.get("query_string", b""), "query string", max_parameters(request))


async def form_params(request: Request, body: bytes, wanted: frozenset[str] | None = None) -> dict[str, list[str]]:
    """A form body's parameters (only ``wanted`` ones, when given), strictly decoded; a long body is decoded
    in a thread (not on the event loop)."""
    limit = max_parameters(request)
    if len(body) <= OFF_LOOP:
        return parse_pairs(body, "form body", limit, wanted)
    import anyio

    return await anyio.to_thread.run_sync(parse_pairs, body, "form body", limit, wanted)


def one(params: dict[str, list[str]], name: str, required: bool = False) -> str | None:
    """The single value of ``name``; repeating it is a 400, and so is leaving out a required one."""
    values = params.get(name, [])
    if len(values) > 1:
        raise BadRequest(f"'{name}' is given {len(values)} times; give it once")
    if not values:
        if required:
            raise BadRequest(f"'{name}' is required")
        return None
    return values[0]


FORMAT_PARAMETERS = ("format", "output", "results")
"""Parameters SPARQL clients name the answer format with (SPARQLWrapper sends all three, Virtuoso reads
``format``, older endpoints ``output``); they may repeat and are read together."""


def format_names(*sources: dict[str, list[str]]) -> tuple[str, ...]:
    """Every non-empty value of ``format``, ``output`` and ``results`` in ``sources``, once each, in order."""
    values = (v.strip() for params in sources for name in FORMAT_PARAMETERS for v in params.get(name, []))
    return tuple(dict.fromkeys(v for v in values if v))


def check_length(query: str, limit: int) -> None:
    """A query longer than ``limit`` characters is a 413 (SAMKART_MAX_QUERY_LENGTH)."""
    if len(query) > limit:
        raise PayloadTooLarge(f"the query has {len(query)} characters; this endpoint takes at most {limit} "
                              "(SAMKART_MAX_QUERY_LENGTH)")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes (SAMKART_MAX_BODY_BYTES)."""
    too_large = PayloadTooLarge(f"the request body is over {limit} bytes, the most this endpoint takes "
                                "(SAMKART_MAX_BODY_BYTES)")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
