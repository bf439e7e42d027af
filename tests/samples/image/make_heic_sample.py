"""Build iphone_photo.heic beside this script: an iPhone-style HEIC photo with EXIF time, offset,
camera and GPS. Safetrail reads HEIC with the decode-only `pi-heif` (the `heic` extra); writing one
needs an encoder, so run this with `pillow-heif` installed in a scratch environment:

    python -m venv /tmp/heif && /tmp/heif/bin/pip install pillow-heif
    /tmp/heif/bin/python tests/samples/image/make_heic_sample.py

The picture is drawn here; the EXIF values are invented but shaped like an iPhone's. The output is
committed; rerun only when the sample needs to change.
"""

from __future__ import annotations

from pathlib import Path

import pillow_heif  # type: ignore[import-not-found]
from PIL import ExifTags, Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

HERE = Path(__file__).resolve().parent
Tag = ExifTags.Base
Gps = ExifTags.GPS


def main() -> None:
    pillow_heif.register_heif_opener()
    image = Image.new("RGB", (64, 48), (150, 60, 40))
    ImageDraw.Draw(image).rectangle((10, 10, 50, 36), fill=(230, 230, 220))
    exif = Image.Exif()
    exif[Tag.Make] = "Apple"
    exif[Tag.Model] = "iPhone 15"
    exif[Tag.Software] = "17.3.1"
    exif[Tag.DateTime] = "2024:03:12 21:45:01"
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[Tag.DateTimeOriginal] = "2024:03:12 21:45:01"
    details[Tag.OffsetTimeOriginal] = "+00:00"
    details[Tag.DateTimeDigitized] = "2024:03:12 21:45:01"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[Gps.GPSLatitudeRef] = "N"
    gps[Gps.GPSLatitude] = (IFDRational(53, 1), IFDRational(28, 1), IFDRational(3012, 100))
    gps[Gps.GPSLongitudeRef] = "W"
    gps[Gps.GPSLongitude] = (IFDRational(2, 1), IFDRational(14, 1), IFDRational(4410, 100))
    image.save(HERE / "iphone_photo.heic", quality=50, exif=exif.tobytes())


if __name__ == "__main__":
    main()
