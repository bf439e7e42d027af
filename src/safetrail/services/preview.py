"""Safe previews of evidence for a screen: images re-encoded from their pixels, import warnings.

The original file is never handed to a browser or viewer. An image is decoded by Pillow (a fixed
list of formats, with a pixel limit), turned upright, shrunk, and written as a fresh PNG that
carries no metadata (no EXIF, GPS, comments or embedded profiles).
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps
from sqlalchemy import func, select

from safetrail.services import entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput
from safetrail.storage.schema import import_warnings

IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 60_000_000
PREVIEW_EDGE = 1600


def _original_bytes(book: Casebook, evidence_id: int) -> bytes:
    with book.read() as conn:
        _, data = entities.load(conn, "evidence", evidence_id)
    blob_name = data.get("blob_name")
    if not isinstance(blob_name, str):
        raise InvalidInput("This item has no file to show.")
    chunks: list[bytes] = []
    total = 0
    for chunk in book.blobs.read_chunks(blob_name):
        total += len(chunk)
        if total > MAX_SOURCE_BYTES:
            raise InvalidInput("This picture is too large to show here.")
        chunks.append(chunk)
    return b"".join(chunks)


def _openable() -> tuple[str, ...]:
    """IMAGE_FORMATS, plus AVIF and HEIC (iPhone photos) where this installation reads them."""
    from safetrail.importers.image import readable_formats

    extra = tuple(name for name in ("AVIF", "HEIF") if name in readable_formats())
    return IMAGE_FORMATS + extra


def image_preview(book: Casebook, evidence_id: int) -> bytes:
    """A PNG of the picture, at most PREVIEW_EDGE pixels on its longer side, with no metadata."""
    data = _original_bytes(book, evidence_id)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_openable()) as opened:
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise InvalidInput("This picture is too large to show here.")
                opened.seek(0)
                upright = ImageOps.exif_transpose(opened)
                picture = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise InvalidInput("Safetrail cannot show this file as a picture.") from None
    picture.thumbnail((PREVIEW_EDGE, PREVIEW_EDGE))
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=False)
    return out.getvalue()


def warnings_for(book: Casebook, evidence_id: int, limit: int = 200) -> tuple[list[str], int]:
    """The importer's warnings about this item (the first `limit`), and how many there are."""
    with book.read() as conn:
        rows = conn.execute(
            select(import_warnings.c.message, import_warnings.c.location)
            .where(import_warnings.c.evidence_id == evidence_id)
            .order_by(import_warnings.c.id)
            .limit(limit)
        ).all()
        total = int(
            conn.execute(
                select(func.count()).where(import_warnings.c.evidence_id == evidence_id)
            ).scalar()
            or 0
        )
    shown = [f"{m} ({loc})" if loc and loc != "whole file" else str(m) for m, loc in rows]
    return shown, total
