"""Exports of the casebook for people and tools: a chronology, a forensic timeline."""
