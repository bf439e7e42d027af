"""Evidence pages: upload and import summary, the date-order question, the viewer."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

from safetrail.models.incident import IncidentDetails
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import add_incident, get_incident
from safetrail.services.records import RecordFilter, count_records, list_records, senders_of
from safetrail.storage.repository import now_utc
from tests.web.conftest import TestClient, book_of, csrf_of, state_of

SAMPLES = Path(__file__).parents[1] / "samples"
CHAT = SAMPLES / "whatsapp" / "android_24h_dmy.txt"
AMBIGUOUS = SAMPLES / "whatsapp" / "ambiguous.txt"


def upload(
    client: TestClient, files: list[tuple[str, bytes]], mode: str = "auto", incident: str = ""
) -> httpx.Response:
    response: httpx.Response = client.post(
        "/evidence/add",
        data={"csrf_token": csrf_of(client), "mode": mode, "incident_id": incident},
        files=[("files", (name, content, "application/octet-stream")) for name, content in files],
    )
    return response


def jpeg_with_exif() -> bytes:
    picture = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "SECRET-EXIF-DESCRIPTION"  # ImageDescription
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_an_export_is_imported_and_summarised(unlocked: TestClient) -> None:
    response = upload(unlocked, [("chat.txt", CHAT.read_bytes())])
    assert response.status_code == 200
    assert "/evidence/added/" in str(response.url)
    assert "Kept as" in response.text
    records = count_records(book_of(unlocked))
    assert records > 0
    assert f"{records} messages or calls read" in response.text


def test_the_upload_copies_are_deleted_once_stored(unlocked: TestClient) -> None:
    upload(unlocked, [("chat.txt", CHAT.read_bytes()), ("note.bin", b"\x00\x01 kept")])
    [batch] = state_of(unlocked).uploads.values()
    assert [f.status for f in batch.files] == ["imported", "kept"]
    assert not any(f.path.exists() for f in batch.files)
    assert not batch.folder.exists()


def test_a_file_safetrail_cannot_read_is_kept_as_a_file(unlocked: TestClient) -> None:
    response = upload(unlocked, [("notes.bin", b"\x00\x01\x02 nothing readable")])
    assert "Kept as" in response.text
    assert ">JS/1</a>" in response.text
    [item] = list_evidence(book_of(unlocked))
    assert item.file is not None
    assert item.file.original_filename == "notes.bin"


def test_import_only_says_when_a_file_cannot_be_read(unlocked: TestClient) -> None:
    response = upload(unlocked, [("notes.bin", b"\x00\x01\x02")], mode="import")
    assert "This file was not added" in response.text
    assert list_evidence(book_of(unlocked)) == []


def test_no_file_chosen_is_explained(unlocked: TestClient) -> None:
    response = unlocked.post("/evidence/add", data={"csrf_token": csrf_of(unlocked)})
    assert response.status_code == 400
    assert "Please choose at least one file." in response.text


def test_an_ambiguous_date_order_is_asked_then_imported(unlocked: TestClient) -> None:
    response = upload(unlocked, [("chat.txt", AMBIGUOUS.read_bytes())], mode="import")
    assert "How are dates written in this file?" in response.text
    assert count_records(book_of(unlocked)) == 0
    token = str(response.url).rstrip("/").rsplit("/", 1)[1]
    waiting = state_of(unlocked).uploads[token]
    assert waiting.files[0].path.exists()
    answered = unlocked.post(
        f"/evidence/added/{token}/date-order",
        data={"csrf_token": csrf_of(unlocked), "file": "0", "date_order": "DMY"},
    )
    assert "3 messages or calls read" in answered.text
    assert count_records(book_of(unlocked)) == 3
    assert not waiting.folder.exists()


def test_a_hostile_file_name_is_kept_as_text(unlocked: TestClient) -> None:
    name = "<img src=x onerror=alert(1)>..\\..\\evil.txt"
    response = upload(unlocked, [(name, b"plain")], mode="keep")
    assert "<img src=x" not in response.text
    [item] = list_evidence(book_of(unlocked))
    assert item.file is not None
    assert "/" not in item.file.original_filename
    assert "<img src=x" not in unlocked.get("/evidence").text


def test_uploading_for_a_diary_entry_attaches_it(unlocked: TestClient) -> None:
    incident = add_incident(
        book_of(unlocked), IncidentDetails(occurred_start=now_utc(), what_happened="Card")
    )
    upload(unlocked, [("card.bin", b"card")], mode="keep", incident=str(incident.id))
    [item] = list_evidence(book_of(unlocked))
    assert get_incident(book_of(unlocked), incident.id).details.evidence_ids == (item.id,)


def test_the_viewer_shows_messages_as_text(unlocked: TestClient) -> None:
    upload(unlocked, [("chat.txt", CHAT.read_bytes())])
    [item] = list_evidence(book_of(unlocked))
    page = unlocked.get(f"/evidence/{item.id}")
    assert page.status_code == 200
    assert "Please stop messaging me." in page.text
    assert item.file is not None
    assert item.file.sha256 in page.text


def test_images_are_re_encoded_without_metadata(unlocked: TestClient) -> None:
    original = jpeg_with_exif()
    upload(unlocked, [("photo.jpg", original)], mode="keep")
    [item] = list_evidence(book_of(unlocked))
    page = unlocked.get(f"/evidence/{item.id}").text
    assert f'src="/evidence/{item.id}/image"' in page
    image = unlocked.get(f"/evidence/{item.id}/image")
    assert image.headers["content-type"] == "image/png"
    assert image.content != original
    assert b"SECRET-EXIF-DESCRIPTION" not in image.content
    assert b"Exif" not in image.content
    with Image.open(io.BytesIO(image.content)) as shown:
        assert shown.size == (40, 30)
        assert shown.getpixel((5, 5))[0] > 150  # type: ignore[index]


def test_a_file_that_is_not_a_picture_gets_no_image(unlocked: TestClient) -> None:
    upload(unlocked, [("fake.jpg", b"\xff\xd8\xff not really a jpeg")], mode="keep")
    [item] = list_evidence(book_of(unlocked))
    assert unlocked.get(f"/evidence/{item.id}/image").status_code == 404


def test_saying_which_sender_is_me_marks_my_messages_sent(unlocked: TestClient) -> None:
    upload(unlocked, [("chat.txt", CHAT.read_bytes())])
    [item] = list_evidence(book_of(unlocked))
    page = unlocked.get(f"/evidence/{item.id}").text
    assert "Which of these names is you?" in page
    key = next(k for k, shown, _ in senders_of(book_of(unlocked), item.id) if shown == "Alex")
    response = unlocked.post(
        f"/evidence/{item.id}/me", data={"csrf_token": csrf_of(unlocked), "sender_key": key}
    )
    assert "now marked as sent by you" in response.text
    mine = [r for r in list_records(book_of(unlocked), RecordFilter()) if r.sender == "Alex"]
    assert mine
    assert all(r.direction == "sent" for r in mine)


def test_recording_a_physical_item_with_a_photo(unlocked: TestClient) -> None:
    assert unlocked.get("/evidence/item").status_code == 200
    response = unlocked.post(
        "/evidence/item",
        data={"csrf_token": csrf_of(unlocked), "description": "Card left on my car"},
        files={"photo": ("card.jpg", jpeg_with_exif(), "image/jpeg")},
    )
    assert response.status_code == 200
    [item] = list_evidence(book_of(unlocked))
    assert item.kind.value == "physical"
    assert item.description.description == "Card left on my car"
    assert item.file is not None
    assert f'src="/evidence/{item.id}/image"' in response.text


def test_an_item_needs_a_description(unlocked: TestClient) -> None:
    response = unlocked.post(
        "/evidence/item", data={"csrf_token": csrf_of(unlocked), "description": " "}
    )
    assert response.status_code == 400
    assert "Please describe the item" in response.text
    assert list_evidence(book_of(unlocked)) == []


def test_files_that_came_with_an_export_are_listed_both_ways(unlocked: TestClient) -> None:
    export = SAMPLES / "whatsapp" / "android_with_media.zip"
    upload(unlocked, [("chat.zip", export.read_bytes())])
    items = list_evidence(book_of(unlocked))
    parent = next(i for i in items if i.parent_id is None)
    children = [i for i in items if i.parent_id == parent.id]
    assert children
    page = unlocked.get(f"/evidence/{parent.id}").text
    assert "Files that came with it" in page
    assert all(f'href="/evidence/{c.id}"' in page for c in children)
    child_page = unlocked.get(f"/evidence/{children[0].id}").text
    assert f'href="/evidence/{parent.id}"' in child_page
