"""Photos and screenshots: one PHOTO record per image file, with its time, place and camera.

Reads JPEG (and MPO, the multi-picture JPEG many phones write), PNG, WebP, TIFF and AVIF with
Pillow, whose decompression-bomb limit (Image.MAX_IMAGE_PIXELS) stays as Pillow sets it. HEIC,
the iPhone's own photo format, is read when the optional `heic` extra (the decode-only `pi-heif`)
is installed; without it a HEIC file is not recognised, and the error says how to add it.

The time comes from EXIF DateTimeOriginal (with OffsetTimeOriginal when present), else
DateTimeDigitized, else DateTime; extra "time_source" says which. Without EXIF time, the XMP
packet's creation time is used (iPhone screenshots are PNGs with only that); then the file
name is read for the patterns phones and computers give screenshots and photos (Android, Pixel,
Samsung, WhatsApp, macOS, Windows), and the record says the time came from the file name. EXIF
text is written by whoever made the file, so every text value is bounded to MAX_TEXT_CHARS.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from typing import ClassVar

from PIL import ExifTags, Image

from safetrail.importers.base import ImportFormatError, ImportOptions, ParseItem, Source
from safetrail.importers.localtime import localise
from safetrail.models.record import Locator, ParseWarning, Record, RecordKind

CHANNEL = "photo"
MAX_TEXT_CHARS = 1_000
WANTED_FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "AVIF", "HEIF")
HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftypheim", b"ftypheis", b"ftyphevc", b"ftypmif1")
FROM_FILE_NAME = "time taken from the file name, not from the photo"

EXIF_TIME_RE = re.compile(r"\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})\s*")
OFFSET_RE = re.compile(r"\s*([+-])(\d{2}):?(\d{2})\s*")
SUBSEC_RE = re.compile(r"\s*(\d{1,9})\s*")
GPS_DATE_RE = re.compile(r"\s*(\d{4}):(\d{2}):(\d{2})\s*")

Tag = ExifTags.Base
Gps = ExifTags.GPS

NOT_ORIGINAL = "may not be when the picture was taken"
# (EXIF time tag, its offset tag, its sub-second tag, name for "time_source", caveat)
EXIF_TIMES: tuple[tuple[int, int, int, str, str | None], ...] = (
    (
        Tag.DateTimeOriginal,
        Tag.OffsetTimeOriginal,
        Tag.SubsecTimeOriginal,
        "DateTimeOriginal",
        None,
    ),
    (
        Tag.DateTimeDigitized,
        Tag.OffsetTimeDigitized,
        Tag.SubsecTimeDigitized,
        "DateTimeDigitized",
        f"the time the picture was stored digitally (EXIF DateTimeDigitized), which {NOT_ORIGINAL}",
    ),
    (
        Tag.DateTime,
        Tag.OffsetTime,
        Tag.SubsecTime,
        "DateTime",
        f"the time the file was last changed (EXIF DateTime), which {NOT_ORIGINAL}",
    ),
)


@dataclass(frozen=True, slots=True)
class NamePattern:
    """A file-name convention that carries the local time (or only the date) of the picture."""

    label: str
    regex: re.Pattern[str]
    date_only: bool = False
    utc: bool = False


_YMD = r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})"
_Y_M_D = r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
_HMS = r"(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})"
_H_M_S = r"(?P<h>\d{2})-(?P<mi>\d{2})-(?P<s>\d{2})"
_H_M_S_DOTS = r"(?P<h>\d{1,2})\.(?P<mi>\d{2})\.(?P<s>\d{2})(?:[ \u202f](?P<ampm>[AaPp][Mm]))?"
NAME_PATTERNS: tuple[NamePattern, ...] = (
    NamePattern("Android screenshot", re.compile(f"Screenshot_{_YMD}-{_HMS}")),
    NamePattern("Android screenshot", re.compile(f"Screenshot_{_Y_M_D}-{_H_M_S}")),
    NamePattern("Samsung or Huawei screenshot", re.compile(f"Screenshot_{_YMD}_{_HMS}")),
    NamePattern("Google Pixel camera", re.compile(f"PXL_{_YMD}_{_HMS}\\d{{3}}"), utc=True),
    NamePattern("WhatsApp media", re.compile(f"(?:IMG|VID|STK)-{_YMD}-WA\\d+"), date_only=True),
    NamePattern(
        "WhatsApp desktop download", re.compile(f"WhatsApp Image {_Y_M_D} at {_H_M_S_DOTS}")
    ),
    NamePattern("Telegram Desktop download", re.compile(f"photo_{_Y_M_D}_{_H_M_S}")),
    NamePattern("Signal attachment", re.compile(f"signal-{_Y_M_D}-{_HMS}")),
    NamePattern("Android camera", re.compile(f"(?:IMG|VID|PANO|MVIMG)_{_YMD}_{_HMS}")),
    NamePattern("Samsung camera", re.compile(f"{_YMD}_{_HMS}")),
    NamePattern("macOS screenshot", re.compile(f"Screen ?[Ss]hot {_Y_M_D} at {_H_M_S_DOTS}")),
    NamePattern("Windows screenshot", re.compile(f"Screenshot {_Y_M_D} {_HMS}")),
)


def _register_heif() -> None:
    """Teach Pillow HEIC when the optional decoder is installed (the `heic` extra)."""
    try:
        from pi_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()


def heic_readable() -> bool:
    return "HEIF" in readable_formats()


def missing_decoder_hint(head: bytes) -> str | None:
    """What to say about a HEIC photo that this installation cannot read, else None."""
    if head[4:12] in HEIF_BRANDS and not heic_readable():
        return (
            "It is a HEIC photo (the iPhone's own format). To read its time and place, install "
            "Safetrail's heic extra: pip install 'safetrail[heic]'."
        )
    return None


@cache
def readable_formats() -> tuple[str, ...]:
    """The formats of WANTED_FORMATS that this Pillow can open."""
    _register_heif()
    Image.init()
    return tuple(name for name in WANTED_FORMATS if name in Image.OPEN)


@dataclass(slots=True)
class _Photo:
    """What is being gathered for the record, with the warnings met on the way."""

    locator: Locator
    options: ImportOptions
    warnings: list[ParseWarning] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    timestamp_text: str = ""
    occurred_at: datetime | None = None
    timezone_assumed: str | None = None
    ambiguity: str | None = None

    def warn(self, message: str) -> None:
        self.warnings.append(ParseWarning(message, self.locator))

    def bounded(self, text: str, what: str) -> str:
        if len(text) <= MAX_TEXT_CHARS:
            return text
        self.warn(f"{what} is {len(text)} characters long; only the first {MAX_TEXT_CHARS} kept")
        return text[:MAX_TEXT_CHARS]

    def add_extra(self, key: str, value: str | None) -> None:
        if value:
            self.extra.append((key, self.bounded(value, f"the {key} value")))

    def set_local_time(self, naive: datetime, zone: str | None, note: str | None) -> None:
        """Read a wall-clock time in `zone` (or in options.timezone), adding any DST note."""
        if zone == "UTC":
            self.occurred_at, self.timezone_assumed, dst = naive.replace(tzinfo=UTC), "UTC", None
        else:
            name = zone or self.options.timezone
            self.occurred_at, dst = localise(naive, name)
            self.timezone_assumed = name
        self.ambiguity = "; ".join(part for part in (note, dst) if part) or None


def exif_text(value: object) -> str | None:
    """An EXIF value as text (NUL padding and edge spaces removed), or None when empty."""
    if value is None:
        return None
    if isinstance(value, bytes):
        text = value.decode("utf-8", "replace")
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    text = text.strip("\x00 \t\r\n")
    return text or None


def _rational(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _degrees(value: object, ref: object, negative: str, bound: float) -> float | None:
    parts = value if isinstance(value, tuple) else (value,)
    numbers = [_rational(part) for part in parts[:3]]
    if not numbers or any(n is None for n in numbers):
        return None
    degrees = sum(n / 60**i for i, n in enumerate(numbers) if n is not None)
    if (exif_text(ref) or "").upper().startswith(negative):
        degrees = -degrees
    return degrees if abs(degrees) <= bound else None


def _read_gps(gps: Mapping[int, object], photo: _Photo) -> None:
    if Gps.GPSLatitude not in gps and Gps.GPSLongitude not in gps:
        return
    latitude = _degrees(gps.get(Gps.GPSLatitude), gps.get(Gps.GPSLatitudeRef), "S", 90)
    longitude = _degrees(gps.get(Gps.GPSLongitude), gps.get(Gps.GPSLongitudeRef), "W", 180)
    if latitude is None or longitude is None:
        photo.warn("the GPS position in the EXIF data is not a valid place; it was not kept")
        return
    photo.add_extra("gps_latitude", f"{latitude:.6f}")
    photo.add_extra("gps_longitude", f"{longitude:.6f}")
    day = GPS_DATE_RE.fullmatch(exif_text(gps.get(Gps.GPSDateStamp)) or "")
    stamp = gps.get(Gps.GPSTimeStamp)
    clock = [_rational(p) for p in stamp] if isinstance(stamp, tuple) and len(stamp) == 3 else []
    if day and clock and all(c is not None for c in clock):
        hours, minutes, seconds = (int(c or 0) for c in clock)
        try:
            when = datetime(int(day[1]), int(day[2]), int(day[3]), tzinfo=UTC) + timedelta(
                hours=hours, minutes=minutes, seconds=seconds
            )
        except (ValueError, OverflowError):
            photo.warn("the GPS time in the EXIF data is not a real time; it was not kept")
            return
        photo.add_extra("gps_time_utc", when.isoformat())


def _offset(text: str | None, photo: _Photo, what: str) -> timezone | None:
    if text is None:
        return None
    match = OFFSET_RE.fullmatch(text)
    if match:
        minutes = int(match[2]) * 60 + int(match[3])
        if minutes < 24 * 60:
            return timezone(timedelta(minutes=-minutes if match[1] == "-" else minutes))
    photo.warn(f"EXIF {what} {text[:40]!r} is not a time zone offset; it was not used")
    return None


def _exif_time(exif: Mapping[int, object], photo: _Photo) -> bool:
    """Set the record's time from the first usable EXIF time; False when there is none."""
    for tag, offset_tag, subsec_tag, name, caveat in EXIF_TIMES:
        text = exif_text(exif.get(tag))
        if text is None:
            continue
        text = photo.bounded(text, f"EXIF {name}")
        match = EXIF_TIME_RE.fullmatch(text)
        try:
            naive = (
                datetime.strptime(" ".join(match.groups()), "%Y %m %d %H %M %S") if match else None
            )
        except ValueError:
            naive = None
        if naive is None:
            photo.warn(f"EXIF {name} {text[:40]!r} is not a date and time; it was not used")
            continue
        subsec = SUBSEC_RE.fullmatch(exif_text(exif.get(subsec_tag)) or "")
        if subsec:
            naive = naive.replace(microsecond=int(subsec[1][:6].ljust(6, "0")))
        offset_text = exif_text(exif.get(offset_tag))
        offset = _offset(offset_text, photo, name.replace("DateTime", "OffsetTime"))
        photo.timestamp_text = text
        photo.add_extra("time_source", f"EXIF {name}")
        if offset is not None:
            photo.occurred_at = naive.replace(tzinfo=offset)
            photo.ambiguity = caveat
            photo.add_extra("time_offset", offset_text)
        else:
            photo.set_local_time(naive, None, caveat)
        return True
    return False


XMP_TIME_TAGS = ("exif:DateTimeOriginal", "photoshop:DateCreated", "xmp:CreateDate")
XMP_MAX_BYTES = 256 * 1024
XMP_VALUE = r"""(?:>|\s*=\s*["'])\s*(?P<value>[0-9][0-9T:.+\-Z ]{9,39})\s*(?:<|["'])"""


def _xmp_bytes(image: Image.Image) -> bytes:
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = image.info.get(key)
        if isinstance(value, bytes):
            return value[:XMP_MAX_BYTES]
        if isinstance(value, str):
            return value[:XMP_MAX_BYTES].encode("utf-8", "replace")
    return b""


def _xmp_time(image: Image.Image, photo: _Photo) -> bool:
    """Set the time from the picture's XMP packet (iPhone screenshots carry
    photoshop:DateCreated and no EXIF time); False when it has none."""
    xmp = _xmp_bytes(image).decode("utf-8", "replace")
    for tag in XMP_TIME_TAGS:
        match = re.search(re.escape(tag) + XMP_VALUE, xmp)
        if match is None:
            continue
        text = match["value"].strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            photo.warn(f"XMP {tag} {text[:40]!r} is not a date and time; it was not used")
            continue
        photo.timestamp_text = text
        photo.add_extra("time_source", f"XMP {tag}")
        if parsed.tzinfo is not None:
            photo.occurred_at = parsed
        else:
            photo.set_local_time(parsed, None, None)
        return True
    return False


def _hour(match: re.Match[str]) -> int:
    hour = int(match["h"])
    ampm = (match.groupdict().get("ampm") or "").upper()
    if ampm == "PM" and hour < 12:
        return hour + 12
    if ampm == "AM" and hour == 12:
        return 0
    return hour


def _name_time(name: str, photo: _Photo) -> bool:
    """Set the record's time from a known file-name pattern; False when none matches."""
    for pattern in NAME_PATTERNS:
        match = pattern.regex.match(name)
        if not match:
            continue
        last = "d" if pattern.date_only else ("ampm" if match.groupdict().get("ampm") else "s")
        photo.timestamp_text = name[match.start("y") : match.end(last)]
        photo.add_extra("time_source", "file name")
        photo.add_extra("file_name_pattern", pattern.label)
        try:
            day = date(int(match["y"]), int(match["mo"]), int(match["d"]))
            clock = (
                (0, 0, 0)
                if pattern.date_only
                else (_hour(match), int(match["mi"]), int(match["s"]))
            )
            naive = datetime(day.year, day.month, day.day, *clock)
        except ValueError:
            photo.warn(f"the file name looks like a {pattern.label} but its date is not real")
            return True
        note = FROM_FILE_NAME
        if pattern.date_only:
            note += "; the file name gives only the day (the time shown is midnight)"
        if pattern.utc:
            note += "; these file names give the time in UTC"
        photo.set_local_time(naive, "UTC" if pattern.utc else None, note)
        return True
    return False


def _check_pixels(image: Image.Image, source: Source, photo: _Photo) -> None:
    """Read the picture data through to its end, so a cut-short or damaged file is reported.

    JPEG is decoded at its smallest scale; PNG is checked chunk by chunk (CRCs, through to IEND)
    without inflating its pixels, from a fresh handle because Pillow verifies only straight after
    opening.
    """
    try:
        if image.format in ("JPEG", "MPO"):
            image.draft(image.mode, (1, 1))
            image.load()
        elif image.format == "PNG":
            with Image.open(source.path, formats=("PNG",)) as fresh:
                fresh.verify()
        else:
            image.load()
    except Exception as exc:  # any decoder failure means the same thing to the person
        photo.warn(
            f"the picture data is damaged or cut short ({type(exc).__name__}: {str(exc)[:200]});"
            " its details were still read"
        )


def _ifd(exif: Image.Exif, tag: int, photo: _Photo, what: str) -> Mapping[int, object]:
    try:
        return exif.get_ifd(tag)
    except Exception as exc:  # a malformed IFD must not hide the rest of the picture
        photo.warn(f"the {what} EXIF data could not be read ({type(exc).__name__})")
        return {}


def _read_metadata(image: Image.Image, source: Source, photo: _Photo) -> None:
    photo.add_extra("image_format", image.format)
    photo.add_extra("image_width", str(image.size[0]))
    photo.add_extra("image_height", str(image.size[1]))
    try:
        exif = image.getexif()
    except Exception as exc:  # corrupt EXIF: keep the picture, say what was lost
        photo.warn(f"the EXIF data could not be read ({type(exc).__name__})")
        exif = Image.Exif()
    details = _ifd(exif, ExifTags.IFD.Exif, photo, "camera")
    times = {**dict(exif.items()), **details}
    if not (
        _exif_time(times, photo)
        or _xmp_time(image, photo)
        or _name_time(source.display_name, photo)
    ):
        photo.add_extra("time_source", "none")
    photo.add_extra("camera_make", exif_text(exif.get(Tag.Make)))
    photo.add_extra("camera_model", exif_text(exif.get(Tag.Model)))
    photo.add_extra("software", exif_text(exif.get(Tag.Software)))
    _read_gps(_ifd(exif, ExifTags.IFD.GPSInfo, photo, "GPS"), photo)
    _check_pixels(image, source, photo)


def _open(source: Source) -> Image.Image:
    try:
        return Image.open(source.path, formats=readable_formats())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImportFormatError(
            f"the picture claims far more pixels than a real photo ({exc}); it was not opened"
        ) from exc
    except Exception as exc:  # Pillow raises many types for unreadable files; all mean this
        raise ImportFormatError(
            f"this is not a picture that can be read ({type(exc).__name__}: {str(exc)[:200]})",
            Locator(byte_start=0),
        ) from exc


class ImageImporter:
    """A photo or screenshot: JPEG, PNG, WebP, TIFF or AVIF."""

    name: ClassVar[str] = "image"
    version: ClassVar[str] = "2"
    label: ClassVar[str] = "Photo or screenshot (JPEG, PNG, WebP, TIFF, AVIF, HEIC)"

    def sniff(self, source: Source, head: bytes) -> int:
        try:
            if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
                return 85
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                return 85
            if head[4:12] in (b"ftypavif", b"ftypavis") and "AVIF" in readable_formats():
                return 85
            if head[4:12] in HEIF_BRANDS and heic_readable():
                return 85
            if head.startswith((b"II*\x00", b"MM\x00*")):
                return 60
        except Exception:
            return 0
        return 0

    def parse(self, source: Source, options: ImportOptions) -> Iterator[ParseItem]:
        photo = _Photo(locator=Locator(byte_start=0, byte_end=source.size), options=options)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(source) as image:
                _read_metadata(image, source, photo)
        for warning in caught:
            photo.warn(f"the image reader reported: {str(warning.message)[:200]}")
        title = photo.bounded(source.display_name, "the file name")
        yield from photo.warnings
        yield Record(
            kind=RecordKind.PHOTO,
            channel=CHANNEL,
            locator=photo.locator,
            timestamp_text=photo.timestamp_text,
            occurred_at=photo.occurred_at,
            timezone_assumed=photo.timezone_assumed,
            ambiguity=photo.ambiguity,
            title=title,
            extra=tuple(photo.extra),
        )
