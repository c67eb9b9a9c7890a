"""Querying: stores, backends, query workers, results and formats, named queries, guards and the SPARQL service."""
