"""Reports on the graph: statistics, the model diagram and the generated README sections."""
