"""Pages of the disputes module, one module per feature."""
