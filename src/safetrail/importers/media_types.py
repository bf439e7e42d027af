"""Media types of files named in exports, by extension (used when the export gives no type)."""

from __future__ import annotations

OCTET_STREAM = "application/octet-stream"
"""The media type of a file whose type is not known."""

MEDIA_TYPES_BY_EXTENSION = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".vcf": "text/vcard",
    ".vcard": "text/vcard",
    ".tgs": "application/x-tgsticker",
}
