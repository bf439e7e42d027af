"""Large-ish, realistic exports for the crash harness, made in the test (seeded, no fixtures)."""

from __future__ import annotations

import base64
import random
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

WORDS = [
    "why",
    "are",
    "you",
    "ignoring",
    "me",
    "I",
    "saw",
    "your",
    "car",
    "outside",
    "again",
    "answer",
    "the",
    "phone",
    "now",
]


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14)))


def whatsapp_zip(path: Path, messages: int, media: int, seed: int = 1) -> int:
    """An Android WhatsApp export with `media` attached files; returns the message count."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, 8, 0)
    lines: list[str] = []
    names: list[str] = []
    for index in range(messages):
        when = (start + timedelta(minutes=7 * index)).strftime("%d/%m/%Y, %H:%M")
        sender = "Sam" if index % 3 else "Alex"
        if index % max(1, messages // max(1, media)) == 0 and len(names) < media:
            name = f"IMG-2025{len(names):04d}-WA{index:04d}.jpg"
            names.append(name)
            lines.append(f"{when} - {sender}: {name} (file attached)")
        else:
            lines.append(f"{when} - {sender}: {_sentence(rng)}")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("WhatsApp Chat with Sam.txt", "\n".join(lines) + "\n")
        for name in names:
            archive.writestr(name, rng.randbytes(24 * 1024))
    return messages


def sms_xml(path: Path, messages: int, mms: int, seed: int = 2) -> int:
    """An SMS Backup & Restore file with `mms` picture messages; returns the message count."""
    rng = random.Random(seed)
    base = 1_740_000_000_000
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        out.write(f'<smses count="{messages + mms}">\n')
        for index in range(messages):
            out.write(
                f'  <sms protocol="0" address="+447700900123" date="{base + index * 60_000}" '
                f'type="{1 + index % 2}" body={quoteattr(_sentence(rng))} read="1" '
                'status="-1" locked="0" />\n'
            )
        for index in range(mms):
            data = base64.b64encode(rng.randbytes(16 * 1024)).decode()
            out.write(
                f'  <mms date="{base + (messages + index) * 60_000}" msg_box="1" '
                'address="+447700900123" m_type="132">\n    <parts>\n'
                f'      <part seq="0" ct="image/jpeg" name="pic{index}.jpg" cl="pic{index}.jpg" '
                f'text="null" data="{data}" />\n'
                f'      <part seq="1" ct="text/plain" text={quoteattr(_sentence(rng))} />\n'
                "    </parts>\n    <addrs>\n"
                '      <addr address="+447700900123" type="137" charset="106" />\n'
                "    </addrs>\n  </mms>\n"
            )
        out.write("</smses>\n")
    return messages + mms
