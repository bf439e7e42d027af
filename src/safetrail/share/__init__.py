"""Consented sharing: the consent record, encrypted share packages and revocation notices."""
