"""Explore the graph in pandas and networkx: DataFrames, network builders, measures and exports.

>>> from samkart.explore import connect, to_dataframe, collaboration_graph, centrality
>>> kg = connect()                      # the local build; connect(endpoint=URL) for a SPARQL endpoint
>>> centrality(collaboration_graph(kg)).head()
"""

from .export import NETWORK_FORMATS, export_graph, read_graph
from .frames import connect, to_dataframe
from .graphs import NO_SECTOR, bipartite_graph, collaboration_graph, governance_graph, organisations, strategy_graph
from .metrics import centrality, communities, cross_sector_share, sector_bridges

__all__ = ["NETWORK_FORMATS", "NO_SECTOR", "bipartite_graph", "centrality", "collaboration_graph", "communities", "connect",
           "cross_sector_share", "export_graph", "governance_graph", "organisations", "read_graph",
           "sector_bridges", "strategy_graph", "to_dataframe"]
