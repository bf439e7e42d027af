"""Picture previews: re-encoded as PNG without the original's metadata, HEIC included."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.services.evidence import add_file
from safetrail.services.preview import image_preview

IMAGES = Path(__file__).parents[1] / "samples" / "image"


@pytest.mark.parametrize("name", ["iphone_photo.heic", "exif_offset.jpg"])
def test_a_photo_is_shown_as_a_png_without_its_exif(book: Casebook, name: str) -> None:
    original = IMAGES / name
    assert b"Exif" in original.read_bytes()
    item = add_file(book, original).item
    preview = image_preview(book, item.id)
    with Image.open(io.BytesIO(preview)) as shown:
        assert shown.format == "PNG"
        assert shown.size == (64, 48)
        assert not shown.getexif()
    assert b"Exif" not in preview and b"GPS" not in preview


def test_a_file_that_is_not_a_picture_is_refused(book: Casebook, tmp_path: Path) -> None:
    note = tmp_path / "note.heic"
    note.write_bytes(b"\x00\x00\x00\x18ftypheic" + b"not really a picture" * 10)
    item = add_file(book, note).item
    with pytest.raises(InvalidInput):
        image_preview(book, item.id)
