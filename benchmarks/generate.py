"""Synthetic exports for the importer benchmarks, streamed to disk (never built in memory).

- `write_whatsapp`: an Android WhatsApp "Export chat" text (`dd/mm/yyyy, HH:MM - Author: text`)
  with a few authors (one shown by phone number), multi-line messages, emoji, `<Media omitted>`,
  deleted messages and system lines, about 80 bytes a message.
- `write_sms_backup`: an SMS Backup & Restore messages file (`<smses>`), plain `<sms>` and `<mms>`
  with SMIL, text and base64 image parts and `<addrs>`, shaped like
  tests/samples/sms_backup_restore/messages.xml.

Both are deterministic for a given seed.
"""

from __future__ import annotations

import base64
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import quoteattr

_WORD_TEXT = (
    "outside work again today why aren't you answering me I know you're home saw your car "
    "near the gym please stop contacting me leave alone police report message call later "
    "tonight tomorrow morning friend sister mother house street station bus train coffee "
    "lunch dinner meeting office parked window door garden watching waiting following "
    "photo picture phone number address birthday weekend holiday sorry angry scared "
    "upset worried happy okay fine yes no maybe never always everyone knows what she did "
    "restraining order solicitor court letter flowers gift parcel doorstep neighbour "
    "laptop account password email facebook instagram blocked unblock new profile fake "
    "midnight 3am drunk crying shouting threatening promise last chance regret"
)
WORDS = tuple(_WORD_TEXT.split())
SEARCH_WORDS = (
    "outside",
    "police",
    "gym",
    "watching",
    "doorstep",
    "solicitor",
    "restraining",
    "parcel",
    "birthday",
    "neighbour",
    "password",
    "midnight",
    "threatening",
    "flowers",
    "instagram",
    "station",
    "garden",
    "regret",
    "blocked",
    "coffee",
)
"""Twenty words of WORDS for the search benchmark: each occurs in many generated messages."""

EMOJI = ("😀", "😡", "❤️", "👀", "😭", "🙏", "👍", "🔥", "😂", "🤬")
WHATSAPP_AUTHORS = ("Daniel", "Jess Taylor", "+44 7700 900123", "Mum")
SYSTEM_LINES = (
    "Daniel added Jess Taylor",
    "Mum left",
    "Daniel changed the group name to “Family”",
    "You changed this group's icon",
    "+44 7700 900123 joined using this group's invite link",
    "Daniel changed their phone number to a new number. Tap to message or add the new number.",
)
ENCRYPTION_NOTICE = (
    "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them. Tap to learn more."
)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    if rng.random() < 0.2:
        text += " " + rng.choice(EMOJI) * rng.randint(1, 3)
    return text + rng.choice((".", "", "?", "!", "..."))


def _whatsapp_body(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04:
        return "<Media omitted>"
    if roll < 0.05:
        return "This message was deleted"
    if roll < 0.10:
        lines = [_sentence(rng, 2, 7) for _ in range(rng.randint(2, 4))]
        return "\n".join(lines)
    return _sentence(rng, 2, 11)


GAPS = (0, 0, 0, 15, 30, 60, 60, 120, 240, 900)
"""Seconds between messages: bursts within a minute and longer pauses, about 140 s on average, so
a million messages span about four and a half years."""


def write_whatsapp(path: Path, messages: int, seed: int = 11) -> int:
    """Write `messages` messages (system lines included); returns the file's size in bytes."""
    rng = random.Random(seed)
    moment = datetime(2019, 1, 3, 8, 15, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        out.write(f"{moment:%d/%m/%Y, %H:%M} - {ENCRYPTION_NOTICE}\n")
        for _ in range(messages - 1):
            moment += timedelta(seconds=rng.choice(GAPS))
            header = f"{moment:%d/%m/%Y, %H:%M} - "
            if rng.random() < 0.005:
                out.write(f"{header}{rng.choice(SYSTEM_LINES)}\n")
            else:
                out.write(f"{header}{rng.choice(WHATSAPP_AUTHORS)}: {_whatsapp_body(rng)}\n")
    return path.stat().st_size


CONTACTS = (
    ("07700 900123", "Daniel"),
    ("+447700900123", "Daniel"),
    ("+447700900456", "(Unknown)"),
    ("+447700900789", "Sam"),
    ("07700 900111", "Alex"),
    ("+447700900222", "Work"),
)
MMS_FIXED = (
    'rr="null" ct_t="application/vnd.wap.multipart.related" read_status="null" seen="1" '
    'sub_cs="null" resp_st="null" retr_st="null" d_tm="null" text_only="0" exp="null" '
    'locked="0" st="null" retr_txt_cs="null" retr_txt="null" '
    'creator="com.google.android.apps.messaging" read="1" rpt_a="null" ct_cls="null" pri="129" '
    'sub_id="1" resp_txt="null" ct_l="null" m_cls="personal" d_rpt="129" v="18"'
)
SMIL = quoteattr(
    '<smil><head><layout><root-layout/><region id="Image" fit="meet" top="0" left="0" '
    'height="80%" width="100%"/><region id="Text" top="80%" left="0" height="20%" '
    'width="100%"/></layout></head><body><par dur="5000ms"><img src="{name}" region="Image" />'
    '<text src="text_0.txt" region="Text" /></par></body></smil>'
)
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


@dataclass(frozen=True, slots=True)
class SmsBackupFile:
    bytes: int
    sms: int
    mms: int
    images: int
    image_bytes: int


def _plan(rng: random.Random, target_bytes: int) -> list[int]:
    """One entry a message: -1 plain SMS, 0 text-only MMS, n > 0 an MMS with an n-byte image."""
    plan: list[int] = []
    estimate = 400
    low, high = math.log(3_000), math.log(400_000)
    while estimate < target_bytes:
        roll = rng.random()
        if roll < 0.90:
            plan.append(-1)
            estimate += 395
        elif roll < 0.91:
            plan.append(0)
            estimate += 950
        else:
            size = int(math.exp(rng.uniform(low, high)))
            plan.append(size)
            estimate += 1_150 + (size + 2) // 3 * 4
    return plan


def _xml_text(rng: random.Random, low: int, high: int) -> str:
    """Message text as the app writes it in an attribute: escaped, line breaks as &#10;."""
    text = _sentence(rng, low, high)
    if rng.random() < 0.05:
        text += "\n" + _sentence(rng, 2, 6)
    escaped = quoteattr(text).replace("\n", "&#10;")
    if rng.random() < 0.01:
        escaped = escaped[:-1] + ' &#55357;&#56832;"'
    return escaped


def _write_sms(out: TextIO, rng: random.Random, moment: int) -> None:
    address, name = rng.choice(CONTACTS)
    box = rng.choice((1, 1, 1, 2, 2, 5))
    sent = moment - rng.randint(500, 5_000) if box == 1 else 0
    service = '"+447785016005"' if box == 1 else '"null"'
    when = datetime.fromtimestamp(moment / 1000, UTC)
    out.write(
        f'  <sms protocol="0" address="{address}" date="{moment}" type="{box}" subject="null" '
        f'body={_xml_text(rng, 2, 14)} toa="null" sc_toa="null" service_center={service} '
        f'read="1" status="-1" locked="0" date_sent="{sent}" sub_id="1" '
        f'readable_date="{when:%d %b %Y %H:%M:%S}" contact_name={quoteattr(name)} />\n'
    )


def _write_mms(out: TextIO, rng: random.Random, moment: int, image: int, number: int) -> int:
    address, name = rng.choice(CONTACTS)
    box = rng.choice((1, 1, 2))
    when = datetime.fromtimestamp(moment / 1000, UTC)
    name_attr = quoteattr(name)
    out.write(
        f'  <mms date="{moment}" sub="null" msg_box="{box}" address="{address}" '
        f'm_id="mavodi-1-89-{number:08x}" date_sent="{moment // 1000 - 2}" '
        f'm_size="{max(image, 0) + 200}" tr_id="T{number:011x}" _id="{number}" '
        f'm_type="{132 if box == 1 else 128}" {MMS_FIXED} '
        f'readable_date="{when:%d %b %Y %H:%M:%S}" contact_name={name_attr}>\n    <parts>\n'
    )
    written = 0
    if image > 0:
        filename = f"IMG_{when:%Y%m%d_%H%M%S}_{number}.jpg"
        out.write(
            '      <part seq="-1" ct="application/smil" name="null" chset="null" cd="null" '
            f'fn="null" cid="&lt;smil&gt;" cl="smil.xml" ctt_s="null" ctt_t="null" '
            f"text={SMIL.replace('{name}', filename)} />\n"
        )
        data = base64.b64encode(JPEG_HEAD + rng.randbytes(image - len(JPEG_HEAD))).decode()
        out.write(
            f'      <part seq="0" ct="image/jpeg" name="{filename}" chset="null" cd="null" '
            f'fn="null" cid="&lt;{filename[:-4]}&gt;" cl="{filename}" ctt_s="null" '
            f'ctt_t="null" text="null" data="{data}" />\n'
        )
        written = image
    if image == 0 or rng.random() < 0.7:
        out.write(
            '      <part seq="0" ct="text/plain" name="null" chset="106" cd="null" fn="null" '
            'cid="&lt;text_0&gt;" cl="text_0.txt" ctt_s="null" ctt_t="null" '
            f"text={_xml_text(rng, 3, 16)} />\n"
        )
    sender, recipient = ("insert-address-token", address) if box == 2 else (address, "")
    out.write(
        "    </parts>\n    <addrs>\n"
        f'      <addr address="{sender}" type="137" charset="106" />\n'
        f'      <addr address="{recipient or "insert-address-token"}" type="151" '
        'charset="106" />\n    </addrs>\n  </mms>\n'
    )
    return written


def write_sms_backup(path: Path, target_bytes: int, seed: int = 13) -> SmsBackupFile:
    """Write a messages backup of about `target_bytes`; mostly base64 images by size."""
    rng = random.Random(seed)
    plan = _plan(rng, target_bytes)
    moment = 1_550_000_000_000
    sms = mms = images = image_bytes = 0
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 22) as out:
        out.write(
            "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
            "<!--File Created By SMS Backup & Restore v10.20.002 on 14/03/2024 21:05:12-->\n"
            f'<smses count="{len(plan)}" backup_set="3f0a1c2e-5b7d-4e8f-9a10-2b3c4d5e6f70" '
            'backup_date="1710450312000" type="full">\n'
        )
        for number, entry in enumerate(plan, start=1000):
            moment += rng.randint(1_000, 900_000)
            if entry < 0:
                _write_sms(out, rng, moment)
                sms += 1
                continue
            written = _write_mms(out, rng, moment, entry, number)
            mms += 1
            if written:
                images += 1
                image_bytes += written
        out.write("</smses>\n")
    return SmsBackupFile(path.stat().st_size, sms, mms, images, image_bytes)
