"""samkart: a knowledge graph of who does what in Norwegian public-sector digitalisation."""

__version__ = "0.1.0"
