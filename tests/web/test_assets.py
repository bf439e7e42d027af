"""The shipped front end asks for nothing off the machine and carries no GOV.UK branding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from safetrail.web.app import static_dir

STATIC = static_dir()
CSS = sorted(STATIC.rglob("*.css"))
JS = sorted(STATIC.rglob("*.js"))
URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
JS_IMPORT = re.compile(r"""(?:import|from)\s*\(?\s*["']([^"']+)["']""")


def test_there_are_assets_to_check() -> None:
    assert len(CSS) >= 3
    assert len(JS) >= 4


@pytest.mark.parametrize("css", CSS, ids=lambda p: p.name)
def test_css_refers_only_to_files_shipped_beside_it(css: Path) -> None:
    text = css.read_text("utf-8")
    assert "@import" not in text
    assert "@font-face" not in text
    for target in URL.findall(text):
        if target.startswith("data:") or target == "none":
            continue
        assert not re.match(r"^(?:[a-z]+:)?//", target), target
        assert not target.startswith("/"), target
        assert (css.parent / target).is_file(), target


@pytest.mark.parametrize("script", JS, ids=lambda p: p.name)
def test_scripts_import_only_local_modules(script: Path) -> None:
    text = script.read_text("utf-8")
    for target in JS_IMPORT.findall(text):
        assert target.startswith(("./", "../")), target
        assert (script.parent / target).resolve().is_file(), target
    assert "sourceMappingURL" not in text


def test_no_gds_font_crown_or_logo_is_shipped() -> None:
    names = [p.name.lower() for p in STATIC.rglob("*") if p.is_file()]
    assert not [n for n in names if n.endswith((".woff", ".woff2", ".ttf", ".otf"))]
    assert not [n for n in names if "crown" in n or "crest" in n or "logotype" in n]
    for css in CSS:
        assert "GDS Transport" not in css.read_text("utf-8"), css.name


def test_the_vendored_versions_and_licences_are_recorded() -> None:
    versions = (STATIC / "vendor" / "VERSIONS.txt").read_text("utf-8")
    assert re.search(r"^govuk-frontend \d+\.\d+\.\d+$", versions, re.MULTILINE)
    assert re.search(r"^@ministryofjustice/frontend \d+\.\d+\.\d+$", versions, re.MULTILINE)
    assert versions.count("licence: MIT") == 2
    assert "MIT" in (STATIC / "vendor" / "LICENCES.txt").read_text("utf-8")
