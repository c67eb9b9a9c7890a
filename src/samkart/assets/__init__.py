"""Packaged copies of ontology/, shapes/, queries/ and data/ (mapped from the repository root in pyproject.toml),
read when samkart runs from an installed wheel rather than a checkout (see samkart.settings)."""
