"""The police-ready report: one typed model, rendered as PDF (Typst) and as HTML (Jinja2)."""
