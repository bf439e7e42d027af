"""Fonts shipped for the PDF report: DejaVu Sans and Sans Mono, Noto Emoji (licences beside)."""
