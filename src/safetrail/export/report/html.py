"""The report as one self-contained HTML file: inline CSS, charts as data: URIs, no script.

Jinja2 escapes every value (autoescape on). A strict Content-Security-Policy forbids scripts,
frames and every request to anywhere: the file opens offline and fetches nothing.
"""

from __future__ import annotations

import base64

from jinja2 import Environment, PackageLoader, select_autoescape

from safetrail.export.report.model import Report

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("safetrail.export.report", "."),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(report: Report) -> str:
    template = _environment().get_template("report.html")
    return template.render(report=report, csp=CSP, chart_uri=svg_data_uri)
