"""`samkart serve`: the web service under uvicorn (registered as a samkart command by this package)."""

import argparse
from pathlib import Path


def register(subparsers) -> None:
    """Add the ``serve`` command to the samkart command line."""
    p = subparsers.add_parser("serve", help="serve the SPARQL endpoint, named queries and linked data (uvicorn)")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1, or SAMKART_HOST)")
    p.add_argument("--port", type=int, help="port (default 8000, or SAMKART_PORT)")
    p.add_argument("--endpoint", help="serve this SPARQL endpoint instead of the embedded store")
    p.add_argument("--data", nargs="+", help="serve these RDF dataset files instead of the build")
    p.set_defaults(func=serve)


def serve(args: argparse.Namespace, settings) -> int:
    """Start uvicorn with the app for these settings (building the graph first when needed)."""
    try:
        import uvicorn  # noqa: F401  (the extra's presence)

        from .server import serve as serve_with_limits
    except ImportError as exc:
        from samkart.errors import SamkartError

        raise SamkartError(f"the web service needs its extra ({exc.name} is missing): pip install -e '.[service]'") from None

    overrides = {k: v for k, v in {"host": args.host, "port": args.port, "endpoint": args.endpoint,
                                   "data": [Path(p) for p in args.data] if args.data else None}.items() if v is not None}
    settings = settings.model_copy(update=overrides)
    serve_with_limits(settings)
    return 0
