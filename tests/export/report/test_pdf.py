"""The PDF: PDF/A-2b, shipped fonts only, every incident's words and every exhibit's hash,
nothing private unless asked, hostile text printed as text, and no word off the page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from safetrail.export.report.pdf import breakable, printed_entries, render_pdf, right_to_left
from safetrail.services.evidence import list_evidence
from tests.export.report.case_data import (
    ARABIC,
    CRIME_REFERENCE,
    EMOJI,
    HEBREW,
    LONG_WORD,
    SCRIPT,
    SECRET,
    SUBJECT_NUMBER,
    THIRD_EMAIL,
    THIRD_NUMBER,
    THREAT,
    TYPST,
)
from tests.export.report.conftest import Rendered

pytestmark = pytest.mark.slow


def _text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return " ".join(out.stdout.decode("utf-8").replace("\u200b", "").split())


@pytest.fixture(scope="module")
def pdfs(rendered: Rendered) -> tuple[Path, Path]:
    default = rendered.folder / "default.pdf"
    default.write_bytes(render_pdf(rendered.default))
    everything = rendered.folder / "everything.pdf"
    everything.write_bytes(render_pdf(rendered.everything))
    return default, everything


def test_pdf_is_pdf_a_2b(pdfs: tuple[Path, Path]) -> None:
    info = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert pages > 5
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(pdfs[0])], capture_output=True, text=True, check=True
    ).stdout
    xmp = etree.fromstring(meta[meta.index("<x:xmpmeta") : meta.index("</x:xmpmeta>") + 12])
    ns = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
    assert xmp.xpath("string(//pdfaid:part)", namespaces=ns) == "2"
    assert xmp.xpath("string(//pdfaid:conformance)", namespaces=ns) == "B"


def test_only_shipped_fonts_all_embedded(pdfs: tuple[Path, Path]) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(pdfs[0])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts}
    assert names <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono", "NotoEmoji-Regular"}
    assert "NotoEmoji-Regular" in names
    assert all(" yes yes yes " in line for line in fonts)


def test_every_incident_words_and_exhibit_hash(rendered: Rendered, pdfs: tuple[Path, Path]) -> None:
    text = _text(pdfs[0])
    unbroken = "".join(text.split())  # a long word is broken over lines
    for entry in rendered.default.chronology:
        if entry.kind == "incident":
            assert "".join(entry.text.split()) in unbroken
    for item in list_evidence(rendered.book):
        assert item.file is not None and item.file.sha256 in text
    for words in (THREAT, SCRIPT, TYPST, EMOJI, CRIME_REFERENCE, "Alex Example"):
        assert words in text
    assert LONG_WORD in unbroken
    assert "Private notes are NOT included" in text


def test_private_notes_and_numbers(pdfs: tuple[Path, Path]) -> None:
    default, everything = (_text(path) for path in pdfs)
    assert SECRET not in default and THIRD_NUMBER not in default and THIRD_EMAIL not in default
    assert "[number removed]" in default and SUBJECT_NUMBER in default
    assert SECRET in everything and THIRD_NUMBER in everything and THIRD_EMAIL in everything
    assert "Private notes ARE included" in everything


def test_no_word_runs_off_the_page(pdfs: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "bbox.html"
    subprocess.run(["pdftotext", "-bbox", str(pdfs[0]), str(out)], check=True)
    page = etree.parse(str(out), etree.HTMLParser()).getroot()
    pages = page.findall(".//page")
    assert pages
    for each in pages:
        width = float(each.get("width", "0"))
        for word in each.findall(".//word"):
            assert float(word.get("xmax", "0")) <= width - 20, word.text


def test_breakable_keeps_hashes_whole() -> None:
    digest = "a" * 64
    value = breakable({"sha256": digest, "text": "b" * 64, "rows": [["c" * 45]]})
    assert value == {
        "sha256": digest,
        "text": "\u200b".join(["b" * 20, "b" * 20, "b" * 20, "b" * 4]),
        "rows": [["\u200b".join(["c" * 20, "c" * 20, "c" * 5])]],
    }


def test_right_to_left_by_first_strong_letter() -> None:
    assert right_to_left(ARABIC) and right_to_left(HEBREW) and right_to_left(f"12:00 {HEBREW}")
    assert not right_to_left(f"Hi {ARABIC}") and not right_to_left(EMOJI) and not right_to_left("")


def test_too_many_records_print_tagged_ones_and_say_so(
    rendered: Rendered, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = rendered.default
    entries, note = printed_entries(report)
    assert entries == list(report.chronology) and note == ""
    monkeypatch.setattr("safetrail.export.report.pdf.MAX_PDF_RECORDS", 2)
    entries, note = printed_entries(report)
    records = [e for e in entries if e.kind not in ("incident", "evidence")]
    assert records and all(e.behaviours for e in records)
    assert sum(e.kind == "incident" for e in entries) == 7
    left = len(report.chronology) - len(entries)
    assert left > 0 and f"The other {left:,} are in the HTML version" in note
