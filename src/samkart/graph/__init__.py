"""The graph from its inputs: registry, documents, fact files, the model, the encoder and the build."""
