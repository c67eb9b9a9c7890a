"""Extractors for the two structured forms in the sources: action-plan tables and fact sheets."""
