"""HTTP routes; each handler parses the request, calls the core, and formats the answer."""
