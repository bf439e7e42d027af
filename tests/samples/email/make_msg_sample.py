"""Build `outlook.msg` and `outlook_no_headers.msg`, small Outlook messages, beside this script.
Run from the repo root with the optional extra installed (it needs extract-msg's OLE writer):

    .venv/bin/python tests/samples/email/make_msg_sample.py

The messages are invented. They hold what Outlook writes for a received mail: MAPI string
properties (UTF-16), two recipients and one attachment by value; the first also keeps the
transport headers, the second (like a message written in Outlook itself) has none.
"""

from __future__ import annotations

import struct
from pathlib import Path

from extract_msg.ole_writer import OleWriter  # type: ignore[import-not-found, unused-ignore]

HERE = Path(__file__).resolve().parent
PT_LONG = 0x0003
PT_TIME = 0x0040
PT_UNICODE = 0x001F
PT_BINARY = 0x0102

HEADERS = (
    "Received: from mail.example.net (192.0.2.25) by mx.example.org; "
    "Fri, 10 May 2024 07:30:05 +0100\r\n"
    "From: Jamie Marsh <j.marsh.1987@example.net>\r\n"
    "To: Sam Taylor <sam.taylor@example.org>\r\n"
    "Cc: hr@example.org\r\n"
    "Subject: I know you changed your route\r\n"
    "Date: Fri, 10 May 2024 07:30:00 +0100\r\n"
    "Message-ID: <outlook-0001@example.net>\r\n"
    "In-Reply-To: <s2@example.org>\r\n"
    "\r\n"
)


def stream_name(prop_id: int, prop_type: int) -> str:
    return f"__substg1.0_{prop_id:04X}{prop_type:04X}"


def fixed_entry(prop_id: int, prop_type: int, value: bytes) -> bytes:
    return struct.pack("<HHI", prop_type, prop_id, 6) + value.ljust(8, b"\x00")


def variable_entry(prop_id: int, prop_type: int, size: int) -> bytes:
    return struct.pack("<HHIII", prop_type, prop_id, 6, size, 0)


class Storage:
    """The properties of one storage: strings and binaries as streams, the rest inline."""

    def __init__(self, writer: OleWriter, prefix: list[str]) -> None:
        self.writer = writer
        self.prefix = prefix
        self.entries: list[bytes] = []

    def text(self, prop_id: int, value: str) -> None:
        data = value.encode("utf-16-le")
        self.writer.addEntry([*self.prefix, stream_name(prop_id, PT_UNICODE)], data)
        self.entries.append(variable_entry(prop_id, PT_UNICODE, len(data) + 2))

    def binary(self, prop_id: int, data: bytes) -> None:
        self.writer.addEntry([*self.prefix, stream_name(prop_id, PT_BINARY)], data)
        self.entries.append(variable_entry(prop_id, PT_BINARY, len(data)))

    def long(self, prop_id: int, value: int) -> None:
        self.entries.append(fixed_entry(prop_id, PT_LONG, struct.pack("<I", value)))

    def time(self, prop_id: int, filetime: int) -> None:
        self.entries.append(fixed_entry(prop_id, PT_TIME, struct.pack("<Q", filetime)))

    def finish(self, header: bytes) -> None:
        self.writer.addEntry(
            [*self.prefix, "__properties_version1.0"], header + b"".join(self.entries)
        )


def build(name: str, *, with_headers: bool) -> None:
    writer = OleWriter()
    for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry(["__nameid_version1.0", stream], b"")
    root = Storage(writer, [])
    root.text(0x001A, "IPM.Note")
    root.text(0x0037, "I know you changed your route")
    root.text(0x0C1A, "Jamie Marsh")
    root.text(0x5D01, "j.marsh.1987@example.net")
    root.text(0x0E04, "Sam Taylor")
    root.text(0x0E03, "hr@example.org")
    root.text(0x1035, "<outlook-0001@example.net>")
    if with_headers:
        root.text(0x007D, HEADERS)
    root.text(0x1000, "You take the 7:40 bus now instead of walking.\r\nI noticed.\r\n")
    root.long(0x0E07, 1)  # message flags: read
    root.time(0x0039, 133597962000000000)  # client submit time, 2024-05-10 06:30:00 UTC
    recipients = [("Sam Taylor", "sam.taylor@example.org", 1), ("HR", "hr@example.org", 2)]
    for number, (display, address, kind) in enumerate(recipients):
        recipient = Storage(writer, [f"__recip_version1.0_#{number:08X}"])
        recipient.text(0x3001, display)
        recipient.text(0x3003, address)
        recipient.text(0x39FE, address)
        recipient.long(0x0C15, kind)
        recipient.finish(b"\x00" * 8)
    attachment = Storage(writer, ["__attach_version1.0_#00000000"])
    attachment.text(0x3707, "route map.png")
    attachment.text(0x3704, "ROUTEM~1.PNG")
    attachment.text(0x370E, "image/png")
    attachment.binary(0x3701, b"\x89PNG\r\n\x1a\nnot really a picture")
    attachment.long(0x3705, 1)  # attached by value
    attachment.finish(b"\x00" * 8)
    root.finish(b"\x00" * 8 + struct.pack("<IIII", 2, 1, 2, 1) + b"\x00" * 8)
    writer.write(HERE / name)


if __name__ == "__main__":
    build("outlook.msg", with_headers=True)
    build("outlook_no_headers.msg", with_headers=False)
