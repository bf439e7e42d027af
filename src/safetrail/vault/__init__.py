"""Encryption, the content-addressed blob store, the casebook lock and the custody chain."""
