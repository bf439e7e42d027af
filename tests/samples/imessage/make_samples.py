"""Build the synthetic iMessage chat.db samples beside this script.

Run from the repository root: `.venv/bin/python tests/samples/imessage/make_samples.py`. The schema
follows macOS Messages (a subset of the real columns, in their real order and types). Every name,
number and message here is made up.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCHEMA = """
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL,
    country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT,
    UNIQUE (id, service));
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
    style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT,
    service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0,
    last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0,
    successful_query INTEGER);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
    text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0,
    subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0,
    type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0,
    date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0,
    is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0,
    is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0,
    is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0,
    is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0, cache_has_attachments INTEGER
    DEFAULT 0, cache_roomnames TEXT, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0,
    group_title TEXT, group_action_type INTEGER DEFAULT 0, associated_message_guid TEXT,
    associated_message_type INTEGER DEFAULT 0);
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
    message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER
    DEFAULT 0, PRIMARY KEY (chat_id, message_id));
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE,
    handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
    created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT,
    mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0,
    user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0);
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE
    CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE,
    UNIQUE(message_id, attachment_id));
CREATE TABLE deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL);
"""

HEADER = (
    b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00"
    b"\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+"
)
TRAILER = (
    b"\x86\x84\x02iI\x01\x05\x92\x84\x84\x84\x0cNSDictionary\x00\x94\x84\x01i\x01\x92\x84\x96"
    b"\x96\x1d__kIMMessagePartAttributeName\x86\x92\x84\x84\x84\x08NSNumber\x00\x84\x84\x07"
    b"NSValue\x00\x94\x84\x01*\x84\x99\x99\x00\x86\x86\x86"
)


def typedstream_length(size: int) -> bytes:
    """The typedstream integer encoding used for the string length."""
    if size < 0x80:
        return bytes([size])
    if size < 0x8000:
        return b"\x81" + size.to_bytes(2, "little")
    return b"\x82" + size.to_bytes(4, "little")


def attributed_body(text: str) -> bytes:
    """An NSArchiver NSAttributedString blob holding `text`, as Messages writes it."""
    data = text.encode("utf-8")
    return HEADER + typedstream_length(len(data)) + data + TRAILER


NS = 1_000_000_000


def build(path: Path) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO handle (ROWID, id, country, service, uncanonicalized_id) VALUES (?,?,?,?,?)",
        [
            (1, "+447700900123", "gb", "iMessage", "07700 900123"),
            (2, "Jordan.Example@Example.COM", "gb", "iMessage", None),
            (3, "+447700900456", "gb", "SMS", "07700900456"),
        ],
    )
    db.executemany(
        "INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name, display_name) "
        "VALUES (?,?,?,?,?,?)",
        [
            (1, "iMessage;-;+447700900123", 45, "+447700900123", "iMessage", ""),
            (2, "iMessage;+;chat123456789", 43, "chat123456789", "iMessage", "Flat 3 group"),
            (3, "SMS;-;+447700900456", 45, "+447700900456", "SMS", None),
        ],
    )
    db.executemany(
        "INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (?,?)",
        [(1, 1), (2, 1), (2, 2), (3, 3)],
    )
    # (rowid, guid, text, attributedBody, handle, service, date, from_me, item_type, chat)
    old_seconds = 600_000_000  # 2020-01-06 10:40:00 UTC, the pre-2017 seconds form
    messages = [
        (
            1,
            "A1B2C3D4-0001",
            "Why aren't you answering me?",
            None,
            1,
            "iMessage",
            old_seconds,
            0,
            0,
            1,
        ),
        (
            2,
            "A1B2C3D4-0002",
            "Please stop messaging me.",
            None,
            1,
            "iMessage",
            old_seconds + 95,
            1,
            0,
            1,
        ),
        (
            3,
            "A1B2C3D4-0003",
            None,
            attributed_body("I saw you at the station. Blue coat 🧥"),
            1,
            "iMessage",
            700_000_000 * NS + 123_456_789,
            0,
            0,
            1,
        ),
        (
            4,
            "A1B2C3D4-0004",
            None,
            attributed_body("مرحبا، أنا أراقبك\nsecond line: here"),
            2,
            "iMessage",
            700_000_300 * NS,
            0,
            0,
            2,
        ),
        (5, "A1B2C3D4-0005", "\ufffc", None, 1, "iMessage", 700_000_400 * NS, 0, 0, 2),
        (
            6,
            "A1B2C3D4-0006",
            None,
            attributed_body("x" * 300),
            2,
            "iMessage",
            700_000_500 * NS,
            1,
            0,
            2,
        ),
        (7, "A1B2C3D4-0007", "Reply or I'll come round", None, 3, "SMS", 700_100_000 * NS, 0, 0, 3),
        (
            8,
            "A1B2C3D4-0008",
            None,
            b"\x04\x0bstreamtyped\x81\xe8\x03garbage",
            3,
            "SMS",
            700_100_060 * NS,
            0,
            0,
            3,
        ),
        (9, "A1B2C3D4-0009", None, None, 2, "iMessage", 700_200_000 * NS, 0, 2, 2),
    ]
    for rowid, guid, text, body, handle, service, date, from_me, item_type, chat in messages:
        db.execute(
            "INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, "
            "is_from_me, item_type, cache_has_attachments) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                rowid,
                guid,
                text,
                body,
                handle,
                service,
                date,
                from_me,
                item_type,
                1 if rowid == 5 else 0,
            ),
        )
        db.execute(
            "INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?,?,?)",
            (chat, rowid, date),
        )
    db.executemany(
        "INSERT INTO attachment (ROWID, guid, filename, uti, mime_type, transfer_name, "
        "total_bytes) VALUES (?,?,?,?,?,?,?)",
        [
            (
                1,
                "AT-1",
                "~/Library/Messages/Attachments/ab/11/AT-1/IMG_0042.HEIC",
                "public.heic",
                "image/heic",
                "IMG_0042.HEIC",
                1_482_113,
            ),
            (
                2,
                "AT-2",
                "~/Library/Messages/Attachments/cd/12/AT-2/voice.caf",
                "com.apple.coreaudio-format",
                None,
                None,
                20_480,
            ),
        ],
    )
    db.executemany(
        "INSERT INTO message_attachment_join (message_id, attachment_id) VALUES (?,?)",
        [(5, 1), (5, 2)],
    )
    db.commit()
    db.execute("VACUUM")
    db.close()


VENTURA_SCHEMA = SCHEMA.replace(
    "associated_message_type INTEGER DEFAULT 0);",
    "associated_message_type INTEGER DEFAULT 0, date_retracted INTEGER DEFAULT 0,\n"
    "    date_edited INTEGER DEFAULT 0, message_summary_info BLOB);",
)


def build_ventura(path: Path) -> None:
    """macOS 13 / iOS 16 and later: messages edited or unsent by their sender."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(VENTURA_SCHEMA)
    db.execute(
        "INSERT INTO handle (ROWID, id, country, service) VALUES (1, '+447700900123', 'gb', "
        "'iMessage')"
    )
    db.execute(
        "INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name, display_name) "
        "VALUES (1, 'iMessage;-;+447700900123', 45, '+447700900123', 'iMessage', '')"
    )
    db.execute("INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (1, 1)")
    sent = 733_000_000 * NS  # 2024-03-24 19:06:40 UTC
    # (rowid, guid, attributedBody, date, date_edited, date_retracted)
    messages = [
        (1, "V-0001", attributed_body("You looked nice today"), sent, 0, 0),
        (
            2,
            "V-0002",
            attributed_body("I'll be waiting outside"),
            sent + 60 * NS,
            sent + 90 * NS,
            0,
        ),
        (3, "V-0003", None, sent + 120 * NS, sent + 150 * NS, 0),
        (4, "V-0004", None, sent + 180 * NS, 0, sent + 200 * NS),
    ]
    for rowid, guid, body, date, edited, retracted in messages:
        db.execute(
            "INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, "
            "is_from_me, date_edited, date_retracted) VALUES (?,?,?,?,1,'iMessage',?,0,?,?)",
            (rowid, guid, None, body, date, edited, retracted),
        )
        db.execute("INSERT INTO chat_message_join (chat_id, message_id) VALUES (1, ?)", (rowid,))
    db.commit()
    db.execute("VACUUM")
    db.close()


if __name__ == "__main__":
    build(HERE / "chat.db")
    build_ventura(HERE / "ventura.db")
