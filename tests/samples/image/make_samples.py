"""Build the small image samples beside this script. Run from the repo root:

    .venv/bin/python tests/samples/image/make_samples.py

Every picture is drawn here (no real photos); the EXIF values are invented but shaped like those
real phones write. The outputs are committed; rerun only when a sample needs to change.
"""

from __future__ import annotations

from pathlib import Path

from PIL import ExifTags, Image, ImageDraw
from PIL.PngImagePlugin import PngInfo
from PIL.TiffImagePlugin import IFDRational

HERE = Path(__file__).resolve().parent
Tag = ExifTags.Base
Gps = ExifTags.GPS


def picture(colour: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (64, 48), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 40, 30), fill=(240, 240, 240))
    draw.line((0, 47, 63, 0), fill=(20, 20, 20), width=3)
    return image


def dms(degrees: int, minutes: int, seconds: float) -> tuple[IFDRational, ...]:
    return (
        IFDRational(degrees, 1),
        IFDRational(minutes, 1),
        IFDRational(round(seconds * 100), 100),
    )


def phone_photo_with_offset() -> None:
    exif = Image.Exif()
    exif[Tag.Make] = "Google"
    exif[Tag.Model] = "Pixel 7"
    exif[Tag.Software] = "HDR+ 1.0.540104767zd"
    exif[Tag.DateTime] = "2024:07:05 22:47:10"
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[Tag.DateTimeOriginal] = "2024:07:05 22:47:10"
    details[Tag.OffsetTimeOriginal] = "+01:00"
    details[Tag.SubsecTimeOriginal] = "250"
    details[Tag.DateTimeDigitized] = "2024:07:05 22:47:10"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[Gps.GPSLatitudeRef] = "N"
    gps[Gps.GPSLatitude] = dms(51, 30, 26.46)
    gps[Gps.GPSLongitudeRef] = "W"
    gps[Gps.GPSLongitude] = dms(0, 7, 39.93)
    gps[Gps.GPSDateStamp] = "2024:07:05"
    gps[Gps.GPSTimeStamp] = (IFDRational(21, 1), IFDRational(47, 1), IFDRational(9, 1))
    picture((40, 90, 160)).save(HERE / "exif_offset.jpg", quality=60, exif=exif)


def phone_photo_without_offset() -> None:
    """An older Samsung: no OffsetTimeOriginal, taken in the hour the clocks went back."""
    exif = Image.Exif()
    exif[Tag.Make] = "samsung"
    exif[Tag.Model] = "SM-G991B"
    exif[Tag.Software] = "G991BXXU5CVK1"
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[Tag.DateTimeOriginal] = "2024:10:27 01:30:05"
    picture((150, 60, 40)).save(HERE / "exif_no_offset.jpg", quality=60, exif=exif)


def edited_webp() -> None:
    """An edited picture: only the IFD0 DateTime (when it was saved) and the editor's name."""
    exif = Image.Exif()
    exif[Tag.Software] = "GIMP 2.10.36"
    exif[Tag.DateTime] = "2024:02:14 09:05:00"
    picture((60, 140, 60)).save(HERE / "edited.webp", quality=60, exif=exif)


def screenshots_and_saved_images() -> None:
    """No EXIF at all: Android screenshots are PNG, WhatsApp strips EXIF from what it sends."""
    picture((230, 230, 230)).save(HERE / "Screenshot_20240101-123456_Messages.png")
    picture((200, 180, 90)).save(HERE / "IMG-20240214-WA0007.jpg", quality=60)
    picture((90, 90, 90)).save(HERE / "no_time.png")
    picture((120, 60, 160)).save(HERE / "Screenshot_20240312_214501_Instagram.jpg", quality=60)


IOS_SCREENSHOT_XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 6.0.0">
   <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description rdf:about=""
            xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
            xmlns:exif="http://ns.adobe.com/exif/1.0/">
         <photoshop:DateCreated>2024-03-12T21:45:01</photoshop:DateCreated>
         <exif:PixelYDimension>48</exif:PixelYDimension>
         <exif:PixelXDimension>64</exif:PixelXDimension>
         <exif:UserComment>Screenshot</exif:UserComment>
      </rdf:Description>
   </rdf:RDF>
</x:xmpmeta>
"""


def ios_screenshot() -> None:
    """An iPhone screenshot as AirDrop delivers it: a PNG named IMG_nnnn, no EXIF time, the
    creation time only in its XMP packet."""
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", IOS_SCREENSHOT_XMP)
    picture((250, 250, 250)).save(HERE / "IMG_4021.PNG", pnginfo=info)


if __name__ == "__main__":
    phone_photo_with_offset()
    phone_photo_without_offset()
    edited_webp()
    screenshots_and_saved_images()
    ios_screenshot()
