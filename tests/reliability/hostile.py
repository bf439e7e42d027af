"""The corpus of known-bad files: each a builder, the importer it targets and what must happen.

Small files are kept in tests/samples/hostile/ (`python -m tests.reliability.hostile` writes
them afresh; a test checks they still match their builders). Large ones (bombs with many
members, 50 MB lines) are built at test time, as committing them would bloat the repository.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HOSTILE_DIR = Path(__file__).resolve().parents[1] / "samples" / "hostile"
SECRET_FILE_TEXT = "ZQX-local-secret-6612"  # what an external file entity would pull in
LOOPBACK_PORT_PLACEHOLDER = "{port}"


@dataclass(frozen=True)
class Hostile:
    filename: str
    importer: str
    build: Callable[[], bytes]
    expect: str  # "refused", "warned" or "kept-as-data"
    large: bool = False

    @property
    def column_map(self) -> dict[str, str]:
        return CSV_MAP if self.importer == "csv_log" else {}


CSV_MAP = {"timestamp": "date", "sender": "from", "text": "text"}


def _sms(body: str, extra: str = "", prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{prolog}"
        '<smses count="1">\n'
        f'  <sms address="+447700900123" date="1710000000000" type="1" body="{body}" {extra}/>\n'
        "</smses>\n"
    ).encode()


def billion_laughs() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    return _sms("&a9;", prolog=f"<!DOCTYPE smses [{entities}]>\n")


def quadratic_blowup() -> bytes:
    return _sms("&a;" * 5000, prolog=f'<!DOCTYPE smses [<!ENTITY a "{"x" * 5000}">]>\n')


def external_file_entity() -> bytes:
    return _sms("&x;", prolog='<!DOCTYPE smses [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n')


def external_http_entity() -> bytes:
    return _sms("&x;", prolog='<!DOCTYPE smses [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>\n')


def external_dtd() -> bytes:
    return _sms("hi", prolog='<!DOCTYPE smses SYSTEM "http://127.0.0.1:{port}/evil.dtd">\n')


def parameter_entity() -> bytes:
    return _sms(
        "hi",
        prolog='<!DOCTYPE smses [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p"> %p;]>\n',
    )


def sms_surrogate_reference() -> bytes:
    return _sms("&#xD800; alone")


def sms_nul_reference() -> bytes:
    return _sms("&#0; nul")


def sms_date_out_of_range() -> bytes:
    return _sms("from the far future", extra='date_sent="99999999999999999999" ').replace(
        b'date="1710000000000"', b'date="99999999999999999999"'
    )


def sms_utf16_lone_surrogate() -> bytes:
    text = _sms("SURROGATE").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.encode("utf-16-le")
    marker = "SURROGATE".encode("utf-16-le")
    return b"\xff\xfe" + data.replace(marker, b"\x00\xd8" + "x".encode("utf-16-le"))


def _put(archive: zipfile.ZipFile, name: str, data: bytes | str) -> None:
    """A member with a fixed date, so the corpus builds byte for byte the same every time."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = archive.compression
    archive.writestr(info, data)


def _chat(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"


def whatsapp_invalid_utf8() -> bytes:
    return _chat(
        [
            b"13/02/2026, 10:00 - Sam: first",
            b"13/02/2026, 10:01 - Sam: bad \xff\xfe\xc3 bytes",
            b"13/02/2026, 10:02 - Sam: last",
        ]
    )


def whatsapp_nul_bytes() -> bytes:
    return _chat([b"13/02/2026, 10:00 - Sam: a\x00b\x00c", b"13/02/2026, 10:01 - Sam: ok"])


def whatsapp_dates_out_of_range() -> bytes:
    return _chat(
        [
            b"31/02/2026, 10:00 - Sam: no such day",
            b"01/13/2026, 25:61 - Sam: no such hour",
            b"13/02/99999, 10:00 - Sam: far future",
            b"13/02/2026, 10:02 - Sam: a real one",
        ]
    )


def whatsapp_utf16_lone_surrogate() -> bytes:
    text = "13/02/2026, 10:00 - Sam: X\n13/02/2026, 10:01 - Sam: fine\n".encode("utf-16-le")
    return b"\xff\xfe" + text.replace("X".encode("utf-16-le"), b"\x00\xdc")


def whatsapp_huge_line() -> bytes:
    return b"13/02/2026, 10:00 - Sam: " + b"A" * (50 << 20) + b"\n"


def whatsapp_control_names() -> bytes:
    names = ["..\\..\\evil.jpg", "IMG\x1b[31m.jpg", "photo\u202egpj.exe", "\x07bell.jpg"]
    lines = [f"13/02/2026, 10:0{i} - Sam: {n} (file attached)" for i, n in enumerate(names)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _put(archive, "WhatsApp Chat with Sam.txt", "\n".join(lines) + "\n")
        for name in names[1:]:
            _put(archive, name, b"\xff\xd8\xff" + b"x" * 64)
    return buffer.getvalue()


def zip_slip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _put(archive, "WhatsApp Chat with Sam.txt", "13/02/2026, 10:00 - Sam: hi\n")
        _put(archive, "../../../tmp/escape.txt", "owned")
    return buffer.getvalue()


def zip_absolute() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _put(archive, "WhatsApp Chat with Sam.txt", "13/02/2026, 10:00 - Sam: hi\n")
        _put(archive, "/etc/cron.d/evil", "owned")
    return buffer.getvalue()


def zip_bomb_ratio() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _put(archive, "WhatsApp Chat with Sam.txt", "13/02/2026, 10:00 - Sam: hi\n")
        _put(archive, "IMG-0001.jpg", b"\0" * (40 << 20))
    return buffer.getvalue()


def zip_bomb_members() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _put(archive, "WhatsApp Chat with Sam.txt", "13/02/2026, 10:00 - Sam: hi\n")
        for index in range(100_001):
            _put(archive, f"{index}", b"")
    return buffer.getvalue()


def zip_lying_size() -> bytes:
    """A member whose header claims 10 bytes but which inflates to 30 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _put(
            archive, "WhatsApp Chat with Sam.txt", b"13/02/2026, 10:00 - Sam: " + b"A" * (30 << 20)
        )
    data = bytearray(buffer.getvalue())
    real = struct.pack("<I", (30 << 20) + 25)
    fake = struct.pack("<I", 10)
    return bytes(data.replace(real, fake))


def telegram_deep_json() -> bytes:
    return (
        b'{"name": "Sam", "type": "personal_chat", "id": 1, "messages": '
        + b"[" * 50_000
        + b"]" * 50_000
        + b"}"
    )


def telegram_surrogate_escape() -> bytes:
    return (
        b'{"name": "Sam", "type": "personal_chat", "id": 1, "messages": [{"id": 1, '
        b'"type": "message", "date": "2026-02-01T10:00:00", "date_unixtime": "1769940000", '
        b'"from": "Sam", "from_id": "user1", "text": "lone \\ud800 here"}]}'
    )


def telegram_dates_out_of_range() -> bytes:
    return (
        b'{"name": "Sam", "type": "personal_chat", "id": 1, "messages": [{"id": 1, '
        b'"type": "message", "date": "99999-02-01T10:00:00", '
        b'"date_unixtime": "999999999999999999999", "from": "Sam", "from_id": "user1", '
        b'"text": "when?"}, {"id": 2, "type": "message", "date": "2026-02-01T10:00:00", '
        b'"date_unixtime": "1769940000", "from": "Sam", "from_id": "user1", "text": "ok"}]}'
    )


def telegram_huge_number() -> bytes:
    return (
        b'{"name": "Sam", "type": "personal_chat", "id": ' + b"9" * 100_000 + b', "messages": []}'
    )


def csv_invalid_utf8_and_nul() -> bytes:
    return (
        b"date,from,text\n2026-02-01 10:00,+447700900123,ok\n"
        b"2026-02-01 10:01,+447700900123,bad \xff\xfe\x00 bytes\n"
    )


def csv_dates_out_of_range() -> bytes:
    return (
        b"date,from,text\n99999-01-01 10:00,+447700900123,far\n"
        b"2026-02-30 10:00,+447700900123,no such day\n2026-02-01 10:00,+447700900123,ok\n"
    )


def csv_formula() -> bytes:
    return b"date,from,text\n2026-02-01 10:00,=HYPERLINK(\"http://x\"),=cmd|' /C calc'!A0\n"


def mbox_hostile_names() -> bytes:
    return (
        b"From sam@example.com Mon Feb  2 10:00:00 2026\n"
        b"From: Sam <sam@example.com>\nTo: me@example.com\nSubject: =?utf-8?b?/w==?=\n"
        b"Date: Mon, 99 Foo 99999 99:99:99 +9999\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nhi\n'
        b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
        b'filename="../../\xe2\x80\xaegpj.exe\x1b[0m"\nContent-Transfer-Encoding: base64\n\n'
        b"aGVsbG8=\n--b--\n"
    )


def eml_invalid_bytes() -> bytes:
    return (
        b"From: Sam <sam@example.com>\nTo: me@example.com\nSubject: bad \xff\xfe\n"
        b"Date: Mon, 2 Feb 2026 10:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n"
        b"body \xff\xc3 \x00 here\n"
    )


def png_decompression_bomb() -> bytes:
    """A 15000 x 15000 PNG of zeros: 220 KB on disk, 225 megapixels when decoded."""
    width = height = 15_000

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\0" * (width + 1)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


CORPUS: dict[str, Hostile] = {
    "billion-laughs": Hostile("sms-laughs.xml", "sms_backup_messages", billion_laughs, "refused"),
    "quadratic-blowup": Hostile("sms-quad.xml", "sms_backup_messages", quadratic_blowup, "refused"),
    "external-file-entity": Hostile(
        "sms-xxe-file.xml", "sms_backup_messages", external_file_entity, "refused"
    ),
    "external-http-entity": Hostile(
        "sms-xxe-http.xml", "sms_backup_messages", external_http_entity, "refused"
    ),
    "external-dtd": Hostile("sms-dtd.xml", "sms_backup_messages", external_dtd, "refused"),
    "parameter-entity": Hostile(
        "sms-param.xml", "sms_backup_messages", parameter_entity, "refused"
    ),
    "xml-surrogate-reference": Hostile(
        "sms-surrogate.xml", "sms_backup_messages", sms_surrogate_reference, "warned"
    ),
    "xml-nul-reference": Hostile("sms-nul.xml", "sms_backup_messages", sms_nul_reference, "warned"),
    "xml-date-out-of-range": Hostile(
        "sms-date.xml", "sms_backup_messages", sms_date_out_of_range, "warned"
    ),
    "xml-utf16-lone-surrogate": Hostile(
        "sms-utf16.xml", "sms_backup_messages", sms_utf16_lone_surrogate, "refused"
    ),
    "whatsapp-invalid-utf8": Hostile(
        "WhatsApp Chat with Bad.txt", "whatsapp_txt", whatsapp_invalid_utf8, "warned"
    ),
    "whatsapp-nul-bytes": Hostile(
        "WhatsApp Chat with Nul.txt", "whatsapp_txt", whatsapp_nul_bytes, "warned"
    ),
    "whatsapp-dates-out-of-range": Hostile(
        "WhatsApp Chat with Dates.txt", "whatsapp_txt", whatsapp_dates_out_of_range, "refused"
    ),
    "whatsapp-utf16-lone-surrogate": Hostile(
        "WhatsApp Chat with Utf16.txt", "whatsapp_txt", whatsapp_utf16_lone_surrogate, "refused"
    ),
    "whatsapp-50mb-line": Hostile(
        "WhatsApp Chat with Long.txt", "whatsapp_txt", whatsapp_huge_line, "refused", large=True
    ),
    "zip-member-names": Hostile(
        "WhatsApp Chat - Names.zip", "whatsapp_zip", whatsapp_control_names, "warned"
    ),
    "zip-slip": Hostile("WhatsApp Chat - Slip.zip", "whatsapp_zip", zip_slip, "refused"),
    "zip-absolute-path": Hostile(
        "WhatsApp Chat - Abs.zip", "whatsapp_zip", zip_absolute, "refused"
    ),
    "zip-bomb-ratio": Hostile(
        "WhatsApp Chat - Bomb.zip", "whatsapp_zip", zip_bomb_ratio, "refused"
    ),
    "zip-bomb-members": Hostile(
        "WhatsApp Chat - Many.zip", "whatsapp_zip", zip_bomb_members, "refused", large=True
    ),
    "zip-lying-size": Hostile(
        "WhatsApp Chat - Lies.zip", "whatsapp_zip", zip_lying_size, "refused"
    ),
    "json-deep-nesting": Hostile("deep.json", "telegram_json", telegram_deep_json, "refused"),
    "json-lone-surrogate": Hostile(
        "surrogate.json", "telegram_json", telegram_surrogate_escape, "warned"
    ),
    "json-dates-out-of-range": Hostile(
        "dates.json", "telegram_json", telegram_dates_out_of_range, "warned"
    ),
    "json-huge-number": Hostile("number.json", "telegram_json", telegram_huge_number, "refused"),
    "csv-invalid-utf8-nul": Hostile("bad.csv", "csv_log", csv_invalid_utf8_and_nul, "warned"),
    "csv-dates-out-of-range": Hostile("dates.csv", "csv_log", csv_dates_out_of_range, "warned"),
    "csv-formula": Hostile("formula.csv", "csv_log", csv_formula, "kept-as-data"),
    "mbox-hostile-names-and-dates": Hostile("hostile.mbox", "mbox", mbox_hostile_names, "warned"),
    "eml-invalid-bytes": Hostile("bad.eml", "eml", eml_invalid_bytes, "warned"),
    "png-decompression-bomb": Hostile(
        "bomb.png", "image", png_decompression_bomb, "refused", large=True
    ),
}


def write_corpus(folder: Path = HOSTILE_DIR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for hostile in CORPUS.values():
        if not hostile.large:
            (folder / hostile.filename).write_bytes(hostile.build())


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else HOSTILE_DIR)
