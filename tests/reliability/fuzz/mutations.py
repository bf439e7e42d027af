"""Malformed variants of every supported format, built from the golden samples.

Byte-level mutations (flips, truncations, insertions of hostile byte runs) apply to every
format; structural ones understand the container: zip members are mutated, renamed and
duplicated; JSON trees get values of the wrong type, removed keys and deep nesting; XML gets
entities, stray tags and broken attributes; mbox gets false "From " lines; CSV gets stray
quotes and delimiters. Used by the Hypothesis suite and by the atheris targets.
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# importer name -> (sample globs, structure)
FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "whatsapp_txt": (("whatsapp/*.txt",), "text"),
    "whatsapp_zip": (("whatsapp/*.zip",), "zip"),
    "sms_backup_messages": (
        ("sms_backup_restore/messages.xml", "sms_backup_restore/utf16.xml"),
        "xml",
    ),
    "sms_backup_calls": (("sms_backup_restore/calls.xml",), "xml"),
    "telegram_json": (("telegram/*.json", "telegram/*.zip"), "json"),
    "telegram_html": (("telegram_html/*.html", "telegram_html/*.zip"), "text"),
    "messenger_json": (
        ("meta_dyi/messenger_single.json", "meta_dyi/messenger_download.zip"),
        "json",
    ),
    "instagram_json": (("meta_dyi/instagram_download.zip",), "zip"),
    "imessage_db": (("imessage/chat.db",), "binary"),
    "signal_export": (("signal_export/*.md", "signal_export/*.html"), "text"),
    "csv_log": (("csv_log/*.csv",), "csv"),
    "eml": (("email/*.eml",), "mbox"),
    "mbox": (("email/*.mbox",), "mbox"),
    "outlook_msg": (("email/*.msg",), "binary"),
    "image": (("image/*.jpg", "image/*.png", "image/*.webp", "image/*.heic"), "binary"),
}

# The CSV importer needs to be told which column is which; these are the golden tests' maps.
CSV_MAPS: dict[str, dict[str, str]] = {
    "call_log.csv": {
        "timestamp": "When",
        "sender": "From",
        "recipient": "To",
        "call_type": "Type",
        "duration": "Duration",
    },
    "messages_uk.csv": {
        "timestamp": "Date",
        "sender": "From",
        "recipient": "To",
        "text": "Message",
        "thread": "Conversation",
    },
    "semicolon_bom.csv": {"timestamp": "Zeitpunkt", "sender": "Absender", "text": "Nachricht"},
    "ambiguous.csv": {"timestamp": "time", "sender": "who", "text": "what"},
}

HOSTILE_RUNS = (
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8: invalid
    b"\xc3",
    b"\r",
    b"\n\n\n",
    b"\xe2\x80\xae",  # right-to-left override
    b"../",
    b'"',
    b",",
    b";",
    b"<",
    b">",
    b"&lol;",
    b'<!DOCTYPE x [<!ENTITY lol "lol">]>',
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    b"&#0;",
    b"&#xD800;",
    b"{",
    b"[" * 300,
    b"}",
    b"\\u0000",
    b"\\ud800",
    b"From someone@example.com Mon Jan  1 00:00:00 2024\n",
    b"Content-Type: multipart/mixed; boundary=x\n",
    b"=?utf-8?b?////?=",
    b"99999999999999999999",
    b"-1",
    b"31/02/2024, 25:61 - ",
    b"A" * 5000,
)


@dataclass(frozen=True)
class Sample:
    importer: str
    path: Path
    data: bytes


def samples(importer: str) -> list[Sample]:
    globs, _ = FORMATS[importer]
    found = sorted(
        {p for g in globs for p in SAMPLES.glob(g) if not p.name.endswith(".expected.json")}
    )
    return [Sample(importer, p, p.read_bytes()) for p in found]


def structure(importer: str, sample: Sample) -> str:
    kind = FORMATS[importer][1]
    if sample.path.suffix == ".zip":
        return "zip"
    if kind == "zip" or (kind == "json" and sample.path.suffix != ".json"):
        return "binary"
    return kind


# --- byte-level ------------------------------------------------------------------------------


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    choice = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "repeat", "splice"]))
    size = max(1, len(data))
    at = draw(st.integers(0, size - 1))
    if choice == "flip":
        bit = draw(st.integers(0, 7))
        return data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1 :] if data else data
    if choice == "truncate":
        return data[:at]
    if choice == "insert":
        run = draw(st.sampled_from(HOSTILE_RUNS) | st.binary(min_size=1, max_size=16))
        return data[:at] + run + data[at:]
    if choice == "delete":
        length = draw(st.integers(1, 64))
        return data[:at] + data[at + length :]
    if choice == "repeat":
        length = draw(st.integers(1, 64))
        times = draw(st.integers(2, 200))
        return data[:at] + data[at : at + length] * times + data[at + length :]
    other = draw(st.integers(0, size - 1))
    return data[:at] + data[other:]


@st.composite
def bytes_mutated(draw: st.DrawFn, data: bytes, max_rounds: int = 4) -> bytes:
    for _ in range(draw(st.integers(1, max_rounds))):
        data = draw(byte_mutation(data))
    return data


# --- structural ------------------------------------------------------------------------------


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "\ud800", "2024-13-45T99:99:99", "../../etc/passwd", "\u202eexe"]),
)


def _json_paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_json_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value[:20]):
            found.extend(_json_paths(child, (*prefix, index)))
    return found


@st.composite
def json_mutated(draw: st.DrawFn, data: bytes) -> bytes:
    try:
        tree = json.loads(data)
    except ValueError:
        return draw(bytes_mutated(data))
    for _ in range(draw(st.integers(1, 3))):
        paths = _json_paths(tree)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "nest", "wrap"]))
        replacement: object
        if action == "replace":
            replacement = draw(st.recursive(JSON_LEAVES, lambda c: st.lists(c, max_size=3)))
        elif action == "nest":
            replacement = json.loads("[" * 180 + "1" + "]" * 180)
        elif action == "wrap":
            replacement = {"messages": [draw(JSON_LEAVES)]}
        else:
            replacement = None
        tree = _set(tree, path, replacement, delete=action == "delete")
    text = json.dumps(tree, ensure_ascii=draw(st.booleans()), allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


def _set(tree: object, path: tuple[object, ...], value: object, delete: bool) -> object:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(tree, dict) and head in tree:
        if delete and not rest:
            return {k: v for k, v in tree.items() if k != head}
        return {**tree, head: _set(tree[head], rest, value, delete)}
    if isinstance(tree, list) and isinstance(head, int) and head < len(tree):
        if delete and not rest:
            return tree[:head] + tree[head + 1 :]
        return [*tree[:head], _set(tree[head], rest, value, delete), *tree[head + 1 :]]
    return tree


XML_INSERTS = (
    b'<!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    b'<!DOCTYPE smses [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>',
    b'<?xml-stylesheet href="file:///etc/passwd"?>',
    b"<sms/>",
    b"<mms><parts><part/></parts></mms>",
    b'<sms date="-99999999999999999" body="&#x1F600;" />',
    b'<call date="1e400" duration="-1" />',
    b"]]>",
    b"<![CDATA[",
    b"</smses>",
    b'<sms body="unterminated />',
)


@st.composite
def xml_mutated(draw: st.DrawFn, data: bytes) -> bytes:
    tags = [i for i in range(len(data)) if data[i : i + 1] == b"<"] or [0]
    at = draw(st.sampled_from(tags[:400]))
    insert = draw(st.sampled_from(XML_INSERTS))
    mutated = data[:at] + insert + data[at:]
    if draw(st.booleans()):
        mutated = draw(byte_mutation(mutated))
    return mutated


@st.composite
def lines_mutated(draw: st.DrawFn, data: bytes, extra: tuple[bytes, ...]) -> bytes:
    lines = data.split(b"\n")
    at = draw(st.integers(0, len(lines)))
    line = draw(st.sampled_from(extra) | st.sampled_from(HOSTILE_RUNS))
    lines.insert(at, line)
    if draw(st.booleans()) and len(lines) > 1:
        del lines[draw(st.integers(0, len(lines) - 1))]
    return b"\n".join(lines)


MBOX_LINES = (
    b"From ",
    b"From x@y Mon Jan  1 00:00:00 2024",
    b"Date: Mon, 99 Foo 2024 99:99:99 +9999",
    b"Content-Transfer-Encoding: base64",
    b"Content-Type: multipart/mixed; boundary=",
    b'Content-Disposition: attachment; filename="../../evil\xe2\x80\xaetxt.exe"',
    b"--",
    b"=?utf-8?q?=FF=FE?=",
    b"Subject: " + b"x" * 3000,
)
CSV_LINES = (
    b'"unterminated,quote',
    b",,,,,,,,,,,,,,,,,,,,,,",
    b"=cmd|' /C calc'!A0,2024-01-01,hello",
    b"2024-02-30 25:00,+44,hi",
    b"\xef\xbb\xbfdate;from;text",
    b"99999-01-01,x,y",
)


@st.composite
def zip_mutated(draw: st.DrawFn, data: bytes) -> bytes:
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        members = [(i, source.read(i)) for i in source.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return draw(bytes_mutated(data))
    if not members:
        return data
    action = draw(st.sampled_from(["member", "rename", "duplicate", "drop", "bytes"]))
    if action == "bytes":
        return draw(bytes_mutated(data, max_rounds=2))
    index = draw(st.integers(0, len(members) - 1))
    out = io.BytesIO()
    with (
        warnings.catch_warnings(action="ignore", category=UserWarning),  # duplicates on purpose
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for position, (info, original) in enumerate(members):
            name, body = info.filename, original
            if position == index:
                if action == "member":
                    body = draw(_member_mutation(name, body))
                elif action == "rename":
                    name = draw(
                        st.sampled_from(
                            ["../../escape.txt", "/abs.txt", "a\x00b.txt", "\u202etxt.exe", "."]
                        )
                    )
                elif action == "drop":
                    continue
                elif action == "duplicate":
                    target.writestr(name, body)
            target.writestr(name, body)
    return out.getvalue()


def _member_mutation(name: str, body: bytes) -> st.SearchStrategy[bytes]:
    if name.endswith(".json"):
        return json_mutated(body)
    return bytes_mutated(body, max_rounds=2)


def mutated(importer: str, sample: Sample) -> st.SearchStrategy[bytes]:
    kind = structure(importer, sample)
    structural: dict[str, st.SearchStrategy[bytes]] = {
        "zip": zip_mutated(sample.data),
        "json": json_mutated(sample.data),
        "xml": xml_mutated(sample.data),
        "mbox": lines_mutated(sample.data, MBOX_LINES),
        "csv": lines_mutated(sample.data, CSV_LINES),
        "text": lines_mutated(sample.data, (b"",)),
    }
    byte_level = bytes_mutated(sample.data)
    return structural[kind] | byte_level if kind in structural else byte_level


@st.composite
def malformed(draw: st.DrawFn, importer: str) -> tuple[Sample, bytes]:
    sample = draw(st.sampled_from(samples(importer)))
    return sample, draw(mutated(importer, sample))
