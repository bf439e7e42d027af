"""The image importer: golden samples, time sources, file-name patterns, hostile pictures."""

from __future__ import annotations

import hashlib
import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from PIL.TiffImagePlugin import IFDRational

from safetrail.importers.base import Importer, ImportFormatError, ImportOptions, Source
from safetrail.importers.image import (
    ImageImporter,
    heic_readable,
    missing_decoder_hint,
    readable_formats,
)
from safetrail.models.record import ParseWarning, Record
from safetrail.services.casebook import Casebook
from safetrail.services.ingest import ImportFailed, IngestOptions, ingest
from safetrail.services.records import count_records
from tests.importers.golden import SAMPLES, check_golden, run_importer, source_for

IMAGES = SAMPLES / "image"
Tag = ExifTags.Base
Gps = ExifTags.GPS

GOLDEN = [
    "exif_offset.jpg",
    "exif_no_offset.jpg",
    "edited.webp",
    "Screenshot_20240101-123456_Messages.png",
    "IMG-20240214-WA0007.jpg",
    "no_time.png",
    "Screenshot_20240312_214501_Instagram.jpg",
    "IMG_4021.PNG",
    "iphone_photo.heic",
]


def test_importer_follows_the_protocol() -> None:
    assert isinstance(ImageImporter(), Importer)
    assert set(readable_formats()) >= {"JPEG", "PNG", "WEBP", "TIFF"}


@pytest.mark.parametrize("case", GOLDEN)
def test_golden(case: str) -> None:
    check_golden(ImageImporter(), IMAGES / case)


def test_heic_is_recognised_when_the_decoder_is_installed() -> None:
    head = (IMAGES / "iphone_photo.heic").read_bytes()[:64]
    source = source_for(IMAGES / "iphone_photo.heic")
    assert heic_readable()
    assert ImageImporter().sniff(source, head) == 85
    assert missing_decoder_hint(head) is None


def test_heic_without_the_decoder_says_how_to_add_it(
    book: Casebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("safetrail.importers.image.heic_readable", lambda: False)
    with pytest.raises(ImportFailed) as failed:
        ingest(book, IMAGES / "iphone_photo.heic", IngestOptions())
    message = str(failed.value)
    assert "iphone_photo.heic" in message
    assert "HEIC photo" in message and "safetrail[heic]" in message
    assert "safetrail evidence add" in message
    assert count_records(book) == 0


def test_samples_are_small() -> None:
    for case in GOLDEN:
        assert (IMAGES / case).stat().st_size < 20_000


def parse_as(
    path: Path, display_name: str, options: ImportOptions | None = None
) -> tuple[Record, list[ParseWarning]]:
    data = path.read_bytes()
    source = Source(path, display_name, hashlib.sha256(data).hexdigest(), len(data))
    items = list(ImageImporter().parse(source, options or ImportOptions()))
    records = [i for i in items if isinstance(i, Record)]
    assert len(records) == 1
    return records[0], [i for i in items if isinstance(i, ParseWarning)]


def messages(warnings: list[ParseWarning]) -> str:
    return "\n".join(w.message for w in warnings)


@pytest.mark.parametrize(
    ("name", "iso", "text"),
    [
        (
            "Screenshot_2019-08-03-17-45-01-123_com.whatsapp.jpg",
            "2019-08-03T17:45:01+01:00",
            "2019-08-03-17-45-01",
        ),
        ("IMG_20240101_123456.jpg", "2024-01-01T12:34:56+00:00", "20240101_123456"),
        ("IMG_20240101_123456_1.jpg", "2024-01-01T12:34:56+00:00", "20240101_123456"),
        ("20240601_081500.jpg", "2024-06-01T08:15:00+01:00", "20240601_081500"),
        (
            "Screenshot 2024-01-01 at 12.34.56.png",
            "2024-01-01T12:34:56+00:00",
            "2024-01-01 at 12.34.56",
        ),
        (
            "Screenshot 2024-01-01 at 9.34.56\u202fPM.png",
            "2024-01-01T21:34:56+00:00",
            "2024-01-01 at 9.34.56\u202fPM",
        ),
        (
            "Screen Shot 2020-05-01 at 12.00.01 AM.png",
            "2020-05-01T00:00:01+01:00",
            "2020-05-01 at 12.00.01 AM",
        ),
        ("Screenshot 2024-03-02 101112.png", "2024-03-02T10:11:12+00:00", "2024-03-02 101112"),
        (
            "WhatsApp Image 2024-07-01 at 18.02.03.jpeg",
            "2024-07-01T18:02:03+01:00",
            "2024-07-01 at 18.02.03",
        ),
        (
            "WhatsApp Image 2024-07-01 at 6.02.03\u202fPM (1).jpeg",
            "2024-07-01T18:02:03+01:00",
            "2024-07-01 at 6.02.03\u202fPM",
        ),
        (
            "Screenshot_20240312_214501_Samsung Internet.jpg",
            "2024-03-12T21:45:01+00:00",
            "20240312_214501",
        ),
        ("photo_2024-03-12_21-45-01.jpg", "2024-03-12T21:45:01+00:00", "2024-03-12_21-45-01"),
        ("signal-2024-03-12-214501_002.jpeg", "2024-03-12T21:45:01+00:00", "2024-03-12-214501"),
    ],
)
def test_file_name_patterns(name: str, iso: str, text: str) -> None:
    record, warnings = parse_as(IMAGES / "no_time.png", name)
    assert record.occurred_at is not None
    assert (record.occurred_at.isoformat(), record.timestamp_text) == (iso, text)
    assert record.timezone_assumed == "Europe/London"
    assert record.ambiguity == "time taken from the file name, not from the photo"
    assert ("time_source", "file name") in record.extra
    assert warnings == []


@pytest.mark.parametrize(
    ("xmp", "iso"),
    [
        (
            '<rdf:Description xmp:CreateDate="2024-03-12T21:45:01+01:00"/>',
            "2024-03-12T21:45:01+01:00",
        ),
        (
            "<photoshop:DateCreated>2024-13-45T99:00:00</photoshop:DateCreated>",
            "2024-01-01T12:34:56",
        ),
    ],
)
def test_xmp_time_or_the_file_name(tmp_path: Path, xmp: str, iso: str) -> None:
    path = tmp_path / "shot.png"
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp)
    Image.new("RGB", (8, 8)).save(path, pnginfo=info)
    record, warnings = parse_as(path, "Screenshot_20240101-123456.png")
    assert record.occurred_at is not None
    assert record.occurred_at.isoformat().startswith(iso)
    assert ("is not a date" in messages(warnings)) == iso.startswith("2024-01-01")


def test_pixel_file_names_are_utc() -> None:
    record = parse_as(IMAGES / "no_time.png", "PXL_20240705_214710250.jpg")[0]
    assert record.occurred_at is not None
    assert record.occurred_at.isoformat() == "2024-07-05T21:47:10+00:00"
    assert record.timezone_assumed == "UTC"
    assert record.ambiguity is not None
    assert "UTC" in record.ambiguity


def test_file_name_time_in_other_zone() -> None:
    options = ImportOptions(timezone="America/New_York")
    record = parse_as(IMAGES / "no_time.png", "IMG_20240101_123456.jpg", options)[0]
    assert record.occurred_at is not None
    assert record.occurred_at.isoformat() == "2024-01-01T12:34:56-05:00"
    assert record.timezone_assumed == "America/New_York"


@pytest.mark.parametrize("name", ["IMG_0001.PNG", "photo.png", "Screenshot.png", "IMG_2024.jpg"])
def test_names_without_time(name: str) -> None:
    record, warnings = parse_as(IMAGES / "no_time.png", name)
    assert (record.occurred_at, record.timestamp_text, warnings) == (None, "", [])
    assert ("time_source", "none") in record.extra


def test_file_name_with_impossible_date() -> None:
    record, warnings = parse_as(IMAGES / "no_time.png", "Screenshot_20241301-123456.png")
    assert record.occurred_at is None
    assert record.timestamp_text == "20241301-123456"
    assert "date is not real" in messages(warnings)


def test_exif_beats_the_file_name() -> None:
    record = parse_as(IMAGES / "exif_offset.jpg", "Screenshot_20200101-000000.jpg")[0]
    assert record.timestamp_text == "2024:07:05 22:47:10"


def jpeg_with(
    tmp_path: Path,
    base: dict[int, object],
    details: dict[int, object],
    gps: dict[int, object] | None = None,
    fmt: str = "JPEG",
) -> Path:
    exif = Image.Exif()
    for tag, value in base.items():
        exif[tag] = value
    exif.get_ifd(ExifTags.IFD.Exif).update(details)
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    path = tmp_path / f"case.{fmt.lower()}"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(path, fmt, exif=exif)
    return path


def test_bad_original_time_falls_back_to_digitized(tmp_path: Path) -> None:
    path = jpeg_with(
        tmp_path,
        {},
        {
            Tag.DateTimeOriginal: "0000:00:00 00:00:00",
            Tag.DateTimeDigitized: "2024:05:01 10:00:00",
            Tag.OffsetTimeDigitized: "+99:99",
        },
    )
    record, warnings = parse_as(path, "case.jpeg")
    assert record.occurred_at is not None
    assert record.occurred_at.isoformat() == "2024-05-01T10:00:00+01:00"
    assert record.timezone_assumed == "Europe/London"
    assert record.ambiguity is not None
    assert "DateTimeDigitized" in record.ambiguity
    assert ("time_source", "EXIF DateTimeDigitized") in record.extra
    text = messages(warnings)
    assert "EXIF DateTimeOriginal '0000:00:00 00:00:00' is not a date" in text
    assert "OffsetTimeDigitized '+99:99' is not a time zone offset" in text


def test_negative_offset_and_southern_gps(tmp_path: Path) -> None:
    path = jpeg_with(
        tmp_path,
        {},
        {Tag.DateTimeOriginal: "2024:05:01 10:00:00", Tag.OffsetTimeOriginal: "-03:00"},
        {
            Gps.GPSLatitudeRef: "S",
            Gps.GPSLatitude: (IFDRational(22, 1), IFDRational(54, 1), IFDRational(0, 1)),
            Gps.GPSLongitudeRef: "W",
            Gps.GPSLongitude: (IFDRational(43, 1), IFDRational(12, 1), IFDRational(0, 1)),
        },
    )
    record, warnings = parse_as(path, "rio.jpg")
    assert record.occurred_at is not None
    assert record.occurred_at.isoformat() == "2024-05-01T10:00:00-03:00"
    assert record.timezone_assumed is None
    extra = dict(record.extra)
    assert (extra["gps_latitude"], extra["gps_longitude"]) == ("-22.900000", "-43.200000")
    assert warnings == []


def test_impossible_gps_is_reported(tmp_path: Path) -> None:
    path = jpeg_with(
        tmp_path,
        {},
        {},
        {
            Gps.GPSLatitudeRef: "N",
            Gps.GPSLatitude: (IFDRational(95, 1), IFDRational(0, 1), IFDRational(0, 1)),
            Gps.GPSLongitudeRef: "E",
            Gps.GPSLongitude: (IFDRational(1, 0), IFDRational(0, 1), IFDRational(0, 1)),
        },
    )
    record, warnings = parse_as(path, "x.jpg")
    assert "gps_latitude" not in dict(record.extra)
    assert "not a valid place" in messages(warnings)


def test_long_exif_text_is_bounded(tmp_path: Path) -> None:
    path = jpeg_with(tmp_path, {Tag.Make: "M" * 5000, Tag.Software: "evil\x01\x1b[31mtxt"}, {})
    record, warnings = parse_as(path, "x.jpg")
    extra = dict(record.extra)
    assert extra["camera_make"] == "M" * 1000
    assert extra["software"] == "evil\x01\x1b[31mtxt"
    assert "5000 characters long" in messages(warnings)


def test_long_file_name_is_bounded() -> None:
    record, warnings = parse_as(IMAGES / "no_time.png", "n" * 2000 + ".png")
    assert record.title == "n" * 1000
    assert "the file name is 2004 characters long" in messages(warnings)


def test_png_with_exif(tmp_path: Path) -> None:
    path = jpeg_with(
        tmp_path, {Tag.Model: "iPhone 15"}, {Tag.DateTimeOriginal: "2024:01:02 03:04:05"}, fmt="PNG"
    )
    record, warnings = parse_as(path, "IMG_0001.PNG")
    assert record.timestamp_text == "2024:01:02 03:04:05"
    assert dict(record.extra)["camera_model"] == "iPhone 15"
    assert warnings == []


def test_tiff(tmp_path: Path) -> None:
    path = jpeg_with(tmp_path, {Tag.DateTime: "2024:01:02 03:04:05"}, {}, fmt="TIFF")
    record, warnings = parse_as(path, "scan.tiff")
    assert dict(record.extra)["image_format"] == "TIFF"
    assert record.timestamp_text == "2024:01:02 03:04:05"
    assert warnings == []


# --- hostile and broken pictures ---------------------------------------------------------------


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and then holds almost nothing."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [100_000, 12_000])
def test_decompression_bomb_is_refused(tmp_path: Path, side: int) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    assert limit is not None
    assert side * side > limit
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(side, side))
    with pytest.raises(ImportFormatError, match="far more pixels"):
        run_importer(ImageImporter(), path)
    assert limit == Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize("case", ["exif_offset.jpg", "no_time.png"])
def test_truncated_picture_is_reported(tmp_path: Path, case: str) -> None:
    data = (IMAGES / case).read_bytes()
    path = tmp_path / case
    path.write_bytes(data[: len(data) * 3 // 4])
    records, warnings = run_importer(ImageImporter(), path)
    assert len(records) == 1
    assert "damaged or cut short" in messages(warnings)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00" * 4096, b"\xff\xd8\xff" + b"\x00" * 100, b"GIF89a" + b"\x00" * 50, b"hello"],
)
def test_unreadable_files_are_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk.jpg"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match="not a picture that can be read"):
        run_importer(ImageImporter(), path)


def test_megabytes_of_junk_after_a_jpeg_marker(tmp_path: Path) -> None:
    """Pillow scans junk for the next marker a byte at a time: slow, but linear and bounded."""
    path = tmp_path / "big.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF\x00" + b"A" * (16 << 20))
    started = time.monotonic()
    with pytest.raises(ImportFormatError):
        run_importer(ImageImporter(), path)
    assert time.monotonic() - started < 5


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ImportFormatError, match="unknown time zone"):
        run_importer(
            ImageImporter(), IMAGES / "exif_no_offset.jpg", ImportOptions(timezone="Mars/Base")
        )


def test_sniffing() -> None:
    importer = ImageImporter()
    for case in GOLDEN:
        path = IMAGES / case
        assert importer.sniff(source_for(path), path.read_bytes()[:64]) == 85
    tiff = io.BytesIO()
    Image.new("RGB", (2, 2)).save(tiff, "TIFF")
    assert importer.sniff(source_for(IMAGES / "no_time.png"), tiff.getvalue()[:64]) == 60
    for junk in (b"", b"From: a@b.c\n", b"\x00" * 20, b"\x00\x00\x00\x18ftypzzzz"):
        assert importer.sniff(source_for(IMAGES / "no_time.png"), junk) == 0
