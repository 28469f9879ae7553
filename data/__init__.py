"""I/O only: one module per data source, plus the embedded default snapshot."""
