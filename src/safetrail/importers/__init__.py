"""Importers: one module per source format. They parse and never store."""
