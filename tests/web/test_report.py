"""Route tests for the report: choices, preview, and downloads that are streamed then deleted."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

from httpx import Response

from safetrail.services.incidents import add_incident
from safetrail.web.pages.report import FORMATS
from tests.services.factories import full_incident
from tests.web.conftest import TestClient, book_of, csrf_of
from tests.web.page_data import ESCAPED, HOSTILE, chat_lines, import_chat

LINES = [
    "01/03/2026, 10:00 - Sam: call Ann on 07700 900456 now",
    "02/03/2026, 10:00 - Sam: I will kill you",
    f"20/03/2026, 10:00 - Sam: {HOSTILE}",
]


def download(client: TestClient, data: dict[str, str | list[str]]) -> Response:
    token = csrf_of(client)
    response: Response = client.post("/report/download", data={"csrf_token": token, **data})
    return response


def leftovers(book_root: Path) -> list[Path]:
    return [p for p in book_root.parent.iterdir() if p.name.startswith(".safetrail-download-")]


def test_the_report_page_previews_everything_by_default(
    unlocked: TestClient, tmp_path: Path
) -> None:
    book = book_of(unlocked)
    add_incident(book, full_incident("Outside my work"))
    import_chat(book, tmp_path, LINES)
    html = unlocked.get("/report").text
    assert "Preview" in html
    assert "The download is not encrypted" in html
    for fmt in FORMATS:
        assert f'name="format" value="{fmt.id}"' in html
    assert "[number removed]" in html  # redaction is on unless the person turns it off
    assert "07700 900456" not in html
    assert ESCAPED in html and "<script>alert(1)" not in html
    assert html.count("<form") - 1 == html.count(f'value="{csrf_of(unlocked)}"')


def test_the_preview_follows_the_choices(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    add_incident(book, full_incident("Outside my work"))
    import_chat(book, tmp_path, LINES)
    html = unlocked.get(
        "/report", params={"from": "1/3/2026", "to": "5/3/2026", "kind": "record", "redact": "no"}
    ).text
    assert "07700 900456" in html and "I will kill you" in html
    assert "Outside my work" not in html and ESCAPED not in html
    tagged = unlocked.get("/report", params={"kind": "record", "tagged_only": "yes"}).text
    assert "I will kill you" in tagged and "call Ann" not in tagged


def test_choices_that_cannot_be_read(unlocked: TestClient) -> None:
    response = unlocked.get("/report", params={"from": "someday", "subject": "5"})
    assert response.status_code == 400
    assert 'href="#from"' in response.text and 'href="#subject"' in response.text
    assert "Preview" not in response.text


def test_download_the_chronology_csv(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    add_incident(book, full_incident("Outside my work"))
    import_chat(book, tmp_path, LINES)
    response = download(unlocked, {"format": "csv", "kind": ["incident", "record"]})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    assert "Outside my work" in text and "I will kill you" in text
    assert "[number removed]" in text and "Only for me" not in text
    assert leftovers(book.root) == []


def test_private_notes_go_in_only_when_asked(unlocked: TestClient) -> None:
    add_incident(book_of(unlocked), full_incident("Outside my work"))
    with_notes = download(unlocked, {"format": "csv", "private_notes": "yes"})
    assert "Only for me" in with_notes.content.decode("utf-8-sig")


def test_download_the_timesketch_jsonl(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, LINES)
    response = download(unlocked, {"format": "jsonl", "redact": "no"})
    assert response.status_code == 200
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert any("07700 900456" in row["message"] for row in rows)


def test_download_the_bundle(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    import_chat(book, tmp_path, LINES)
    response = download(unlocked, {"format": "bundle"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        names = bundle.namelist()
    assert any(name.endswith("manifest-sha256.txt") for name in names)
    assert leftovers(book.root) == []


def test_download_the_pdf_report(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    add_incident(book, full_incident("Outside my work"))
    import_chat(book, tmp_path, LINES)
    response = download(unlocked, {"format": "pdf"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Outside my work" in text and "Only for me" not in text
    assert leftovers(book.root) == []


def test_download_the_html_report_and_case(unlocked: TestClient, tmp_path: Path) -> None:
    book = book_of(unlocked)
    import_chat(book, tmp_path, LINES)
    page = download(unlocked, {"format": "html"})
    assert page.status_code == 200 and "attachment" in page.headers["content-disposition"]
    assert ESCAPED in page.text and HOSTILE not in page.text
    case = download(unlocked, {"format": "case"})
    assert case.status_code == 200 and json.loads(case.text)["@graph"]
    assert leftovers(book.root) == []


def test_a_format_that_does_not_exist(unlocked: TestClient) -> None:
    response = download(unlocked, {"format": "exe"})
    assert response.status_code == 400
    assert 'href="#format"' in response.text


def test_downloads_need_the_token(unlocked: TestClient) -> None:
    response = unlocked.post("/report/download", data={"format": "csv"})
    assert response.status_code == 403


def test_a_large_preview_reads_one_page_and_says_so(unlocked: TestClient, tmp_path: Path) -> None:
    import_chat(book_of(unlocked), tmp_path, chat_lines(1010))
    html = unlocked.get("/report", params={"kind": "record"}).text
    assert "1000 or more" in html
    assert "The preview looks at the first 1,000 entries only" in html
    csv_rows = download(unlocked, {"format": "csv", "kind": "record"}).text.splitlines()
    assert len(csv_rows) == 1011  # the header and every message
