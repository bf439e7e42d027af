"""The inside of an <mms>: its <parts> (text, SMIL layout, media) and its <addrs>.

- text/plain parts are the message text, joined with a newline in the order found; when such a
  part carries `data` instead of `text`, the bytes are decoded with the part's `chset`.
- application/smil parts are the slide layout the phone drew the message with, not something the
  sender wrote; they are left out (the original keeps them).
- Every other part is an Attachment: its base64 `data` decoded (bounded by the limits), or its
  `text` as UTF-8 for text-like parts such as vCards, or marked missing when the backup left the
  media out.
- <addr> type 137 is the sender; 151 (To), 130 (Cc) and 129 (Bcc) are the recipients. The
  "insert-address-token" placeholder stands for the phone's own number and is skipped.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

from lxml import etree

from safetrail.importers.base import Limits
from safetrail.importers.sms_backup_fields import INSERT_ADDRESS_TOKEN, normalise_address, present
from safetrail.importers.sms_backup_xml import element_line
from safetrail.models.record import Attachment

SMIL_TYPE = "application/smil"
TEXT_TYPE = "text/plain"
FROM_TYPE = "137"
RECIPIENT_TYPES = frozenset({"151", "130", "129"})
MESSAGE_ATTACHMENT_FACTOR = 4
"""One message may keep at most this many times limits.max_attachment_bytes in total."""

NOT_IN_BACKUP = "not included in the backup"
TOO_LARGE = "too large to import"
UNREADABLE = "could not be read from the backup"
_WHITESPACE = re.compile(r"\s+")

# IANA MIBenum -> Python codec, for the charsets MMS text parts use.
_MIBENUM_CODECS = {
    "3": "ascii",
    "4": "latin-1",
    **{str(n): f"iso8859-{n - 3}" for n in range(5, 13)},
    "17": "shift_jis",
    "18": "euc_jp",
    "36": "cp949",
    "38": "euc_kr",
    "39": "iso2022_jp",
    "106": "utf-8",
    "109": "iso8859-13",
    "111": "iso8859-15",
    "113": "gbk",
    "114": "gb18030",
    "1000": "utf-16-be",
    "1013": "utf-16-be",
    "1014": "utf-16-le",
    "1015": "utf-16",
    "2025": "gb2312",
    "2026": "big5",
    **{str(n): f"cp{n - 1000}" for n in range(2250, 2259)},
}


@dataclass(slots=True)
class MmsContent:
    texts: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    sender_address: str | None = None
    recipients: list[str] = field(default_factory=list)
    problems: list[tuple[str, int | None]] = field(default_factory=list)
    kept_bytes: int = 0


def read_mms_content(mms: etree._Element, limits: Limits) -> MmsContent:
    content = MmsContent()
    for child in mms:
        if child.tag == "parts":
            for position, part in enumerate(child):
                _read_part(part, position, content, limits)
        elif child.tag == "addrs":
            for addr in child:
                _read_addr(addr, content)
        else:
            content.problems.append((_unexpected(child, "<mms>"), element_line(child)))
    return content


def _unexpected(element: etree._Element, where: str) -> str:
    return f"an unexpected <{str(element.tag)[:40]}> inside {where} was skipped"


def _read_part(part: etree._Element, position: int, content: MmsContent, limits: Limits) -> None:
    if part.tag != "part":
        content.problems.append((_unexpected(part, "<parts>"), element_line(part)))
        return
    media_type = (part.get("ct") or "").strip()
    kind = media_type.split(";")[0].strip().lower()
    if kind == SMIL_TYPE:
        return
    data = present(part.get("data"))
    text = part.get("text")
    if kind == TEXT_TYPE and (data is None or present(text) is not None):
        if text is not None:
            content.texts.append(text)
        return
    if kind == TEXT_TYPE and data is not None:
        decoded, _ = _decode_part_data(data, part, content, limits)
        if decoded is not None:
            content.texts.append(_decode_text(decoded, part, content))
        return
    filename = _part_filename(part, position)
    content.attachments.append(
        _attachment(
            filename, media_type or "application/octet-stream", data, text, part, content, limits
        )
    )


def _part_filename(part: etree._Element, position: int) -> str:
    for key in ("name", "fn", "cl"):
        value = present(part.get(key))
        if value is not None:
            return value
    return f"part-{position}"


def _attachment(
    filename: str,
    media_type: str,
    data: str | None,
    text: str | None,
    part: etree._Element,
    content: MmsContent,
    limits: Limits,
) -> Attachment:
    if data is not None:
        decoded, missing = _decode_part_data(data, part, content, limits)
        if decoded is None:
            return Attachment(filename, media_type, missing=missing)
        return _kept(Attachment(filename, media_type, data=decoded), part, content, limits)
    if present(text) is not None and text is not None:
        return _kept(
            Attachment(filename, media_type, data=text.encode("utf-8")), part, content, limits
        )
    return Attachment(filename, media_type, missing=NOT_IN_BACKUP)


def _kept(
    attachment: Attachment, part: etree._Element, content: MmsContent, limits: Limits
) -> Attachment:
    size = len(attachment.data or b"")
    budget = limits.max_attachment_bytes * MESSAGE_ATTACHMENT_FACTOR
    if size > limits.max_attachment_bytes or content.kept_bytes + size > budget:
        content.problems.append(
            (
                f"the attachment {attachment.filename!r} ({size} bytes) is over the size limit;"
                " it stays in the original file but was not taken out",
                element_line(part),
            )
        )
        return Attachment(attachment.filename, attachment.media_type, missing=TOO_LARGE)
    content.kept_bytes += size
    return attachment


def _decode_part_data(
    data: str, part: etree._Element, content: MmsContent, limits: Limits
) -> tuple[bytes | None, str]:
    """Base64 to bytes, or None and why; refused before decoding when it could not fit."""
    if len(data) // 4 * 3 > limits.max_attachment_bytes + 3:
        content.problems.append(
            (
                f"a part of {len(data)} base64 characters is over the attachment size limit;"
                " it stays in the original file but was not taken out",
                element_line(part),
            )
        )
        return None, TOO_LARGE
    decoded = decode_base64(data)
    if decoded is None:
        content.problems.append(
            ("a part's data is not valid base64, so it could not be read", element_line(part))
        )
    return decoded, UNREADABLE


def decode_base64(data: str) -> bytes | None:
    """Strict base64; tolerates whitespace (XML turns line breaks into spaces) and lost padding."""
    try:
        return binascii.a2b_base64(data, strict_mode=True)
    except ValueError:
        pass
    compact = _WHITESPACE.sub("", data)
    compact += "=" * (-len(compact) % 4)
    try:
        return binascii.a2b_base64(compact, strict_mode=True)
    except ValueError:
        return None


def _decode_text(raw: bytes, part: etree._Element, content: MmsContent) -> str:
    chset = present(part.get("chset"))
    codec = _MIBENUM_CODECS.get(chset or "106")
    if codec is None:
        content.problems.append(
            (
                f"a text part names charset {chset[:20] if chset else ''}, read as UTF-8",
                element_line(part),
            )
        )
        codec = "utf-8"
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        content.problems.append(
            (
                f"a text part is not valid {codec}; unreadable bytes became U+FFFD",
                element_line(part),
            )
        )
        return raw.decode(codec, errors="replace")


def _read_addr(addr: etree._Element, content: MmsContent) -> None:
    if addr.tag != "addr":
        content.problems.append((_unexpected(addr, "<addrs>"), element_line(addr)))
        return
    address = present(addr.get("address"))
    if address is None or address.strip() == INSERT_ADDRESS_TOKEN:
        return
    kind = (addr.get("type") or "").strip()
    if kind == FROM_TYPE:
        if content.sender_address is None:
            content.sender_address = normalise_address(address)
        else:
            content.recipients.append(normalise_address(address))
            content.problems.append(
                ("a second sender address (type 137) was read as a recipient", element_line(addr))
            )
    elif kind in RECIPIENT_TYPES:
        content.recipients.append(normalise_address(address))
    else:
        content.problems.append(
            (
                f"the address {address[:60]!r} has an unknown type ({kind[:20]!r}) and was skipped",
                element_line(addr),
            )
        )
