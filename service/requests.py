"""Strict parsing of query strings and form bodies: invalid UTF-8 or percent-encoding is a 400."""

from urllib.parse import parse_qs

from fastapi import Request

from samkart.errors import SamkartError


class BadRequest(SamkartError):
    """A malformed request (status 400)."""


def parse_pairs(raw: bytes | str, where: str) -> dict[str, list[str]]:
    """Name → values of an urlencoded string; refuses bytes or escapes that are not UTF-8."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"the {where} is not valid UTF-8") from None


def query_params(request: Request) -> dict[str, list[str]]:
    """The URL's query parameters, strictly decoded."""
    return parse_pairs(request.scope.get("query_string", b""), "query string")


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
