"""What a WhatsApp message body says: who wrote it, media markers, deletions, system notices.

Bodies are kept exactly, with one exception: a U+200E/U+200F mark that WhatsApp puts in front of
a recognised marker ("<attached: …>", "image omitted", "This message was deleted", an iOS system
notice) is removed, because it is part of the export format rather than of the message.
"""

from __future__ import annotations

import mimetypes
import re
from typing import NamedTuple

_MARKS = "\u200e\u200f"
_MAX_AUTHOR_PREFIXES = 100_000
_MAX_MEDIA_PER_MESSAGE = 50
_MAX_AUTHOR_LENGTH = 256
_MAX_MARKER_LENGTH = 1000

_OMIT_WORDS = (
    "omitted|weggelassen|ausgelassen|ausgeschlossen|omitido|omitida|omitidos|omis|omise|"
    "absent|absente|omesso|omessa|omessi|oculto|oculta|ocultado|weggelaten|jätetty pois"
)
_ANDROID_OMITTED = re.compile(
    r"<(?:media|medien|multimedia|médias|mídia|multimédia|archivo multimedia|mediabestand)"
    rf" (?:{_OMIT_WORDS})>"
    r"|<(?:без медиафайлов|medya dahil edilmedi|media tidak disertakan)>",
    re.IGNORECASE,
)
_IOS_OMITTED_KINDS = {
    "image/jpeg": "image|bild|imagen|imagem|immagine|afbeelding|kuva",
    "video/mp4": "video|vidéo|vídeo|gif",
    "audio/ogg": "audio|áudio|ääni",
    "image/webp": "sticker|autocollant|figurinha",
    "text/vcard": (
        "contact card|kontaktkarte|tarjeta de contacto|carte de contact|cartão de contato"
    ),
    "": "document|dokument|documento",
}
_IOS_OMITTED = re.compile(
    r"(?:(?P<name>[^\n]+?) • [^\n]*?)?"
    + "(?P<kind>"
    + "|".join(f"(?P<k{i}>{words})" for i, words in enumerate(_IOS_OMITTED_KINDS.values()))
    + rf") (?:{_OMIT_WORDS})",
    re.IGNORECASE,
)
_IOS_KIND_TYPES = tuple(_IOS_OMITTED_KINDS)
_IOS_ATTACHED = re.compile(
    r"[\u200e\u200f]?< ?(?:attached|anhang|adjunto|anexado|anexo|allegato|pièce jointe|"
    r"bijgevoegd|liite) ?: ?(?P<name>[^<>\r\n]+?) ?>",
    re.IGNORECASE,
)
_ANDROID_ATTACHED = re.compile(
    r"(?P<name>[^\n]+?) \((?:file attached|datei angehängt|archivo adjunto|fichier joint|"
    r"file allegato|arquivo anexado|ficheiro anexado|bestand bijgevoegd|liitetty tiedosto)\)",
    re.IGNORECASE,
)
_DELETED = frozenset(
    text.casefold()
    for text in (
        "This message was deleted",
        "You deleted this message",
        "Diese Nachricht wurde gelöscht",
        "Du hast diese Nachricht gelöscht",
        "Se eliminó este mensaje",
        "Eliminaste este mensaje",
        "Ce message a été supprimé",
        "Vous avez supprimé ce message",
        "Esta mensagem foi apagada",
        "Você apagou esta mensagem",
        "Esta mensagem foi eliminada",
        "Eliminou esta mensagem",
        "Questo messaggio è stato eliminato",
        "Hai eliminato questo messaggio",
        "Dit bericht is verwijderd",
        "Je hebt dit bericht verwijderd",
    )
)
_DELETED_BY_ADMIN = re.compile(r"This message was deleted by admin [^\n]{1,256}?\.?", re.IGNORECASE)
"""A group admin removed the message (2022+); the admin's name follows."""
_EDITED = re.compile(
    r" ?[\u200e\u200f]?<(?:This message was edited|Diese Nachricht wurde bearbeitet|"
    r"Se editó este mensaje\.?|Ce message a été modifié|Esta mensagem foi editada|"
    r"Questo messaggio è stato modificato|Dit bericht is bewerkt)>$",
    re.IGNORECASE,
)
"""The mark newer exports put at the end of a message its author edited."""
_ENCRYPTION_NOTICE = re.compile(
    "Messages and calls are end-to-end encrypted|Messages to this (?:group|chat) are now "
    "secured|Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt|Los mensajes y las llamadas "
    "están cifrados de extremo a extremo|Les messages et les appels sont chiffrés de bout en "
    "bout|As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta|I "
    "messaggi e le chiamate sono crittografati end-to-end",
    re.IGNORECASE,
)
_IOS_SYSTEM_PHRASES = re.compile(
    r"end-to-end|Ende-zu-Ende|de extremo a extremo|de bout en bout|created (?:this )?group|"
    r"hat (?:die|diese) Gruppe|creó (?:el|este) grupo|a créé|\badded\b|hinzugefügt|añadió|"
    r"a ajouté|\bremoved\b|entfernt|eliminó a|a retiré|\bleft\b|verlassen|salió|est parti|"
    r"joined using|changed the subject|changed this group|changed the group|changed their phone|"
    r"changed to\b|security code|Sicherheitscode|código de seguridad|an admin|disappearing "
    r"messages|selbstlöschende|business account|Geschäftskonto|blocked this contact",
    re.IGNORECASE,
)
_QUOTED_SYSTEM = re.compile(
    r" (?:changed the subject|changed the group name|changed the group description|"
    r"hat den Betreff|hat den Gruppennamen|cambió el asunto|a modifié le sujet)",
    re.IGNORECASE,
)
_CALL = re.compile(
    r"(?P<missed>Missed )?(?:group )?(?P<kind>voice|video) call"
    r"(?:, [\u200e\u200f]?(?:(?P<length>(?:\d{1,4} (?:hr|min|sec) ?){1,3})|(?P<no_answer>No answer)"
    r"|(?:Tap|Click) to call back|Silenced))*",
    re.IGNORECASE,
)
_CALL_LENGTH = re.compile(r"(\d{1,4}) (hr|min|sec)")
_CALL_UNITS = {"hr": 3600, "min": 60, "sec": 1}
_MISSED_CALLS = {
    text.casefold(): video
    for text, video in (
        ("Verpasster Sprachanruf", False),
        ("Verpasster Videoanruf", True),
        ("Llamada de voz perdida", False),
        ("Videollamada perdida", True),
        ("Appel vocal manqué", False),
        ("Appel vidéo manqué", True),
        ("Chamada de voz perdida", False),
        ("Chamada de vídeo perdida", True),
    )
}
_OMIT_ENDINGS = (">", *_OMIT_WORDS.split("|"))
_MAX_DELETED_LENGTH = max(len(text) for text in _DELETED) + 4
_QUOTE = re.compile('["“”«»„]')
_MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "heic": "image/heic",
    "mp4": "video/mp4",
    "3gp": "video/3gpp",
    "mov": "video/quicktime",
    "opus": "audio/ogg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",
    "aac": "audio/aac",
    "amr": "audio/amr",
    "pdf": "application/pdf",
    "vcf": "text/vcard",
    "txt": "text/plain",
}
_BUILTIN_TYPES = mimetypes.MimeTypes()
UNKNOWN_TYPE = "application/octet-stream"


def media_type_for(filename: str) -> str:
    """A media type from the file name alone (never from the bytes: they are hostile)."""
    extension = filename.rpartition(".")[2].casefold() if "." in filename else ""
    known = _MEDIA_TYPES.get(extension)
    if known is not None:
        return known
    guessed = _BUILTIN_TYPES.guess_type("x." + extension, strict=False)[0] if extension else None
    return guessed or UNKNOWN_TYPE


class MediaRef(NamedTuple):
    """Media a message names: a file in the export, or one the export left out."""

    filename: str
    media_type: str
    omitted: bool


class Call(NamedTuple):
    """A call the chat records (iOS exports write them as marked lines by the caller)."""

    missed: bool
    video: bool
    seconds: int | None
    no_answer: bool


class Body(NamedTuple):
    system: bool
    text: str
    media: tuple[MediaRef, ...]
    deleted: bool
    shown_as: str | None
    edited: bool = False
    call: Call | None = None


class AuthorSplitter:
    """Finds where the author ends in 'author: text', learning from the whole file.

    The first ': ' ends the author, unless every line (at least three) that starts with the same
    prefix also shares the next ': ' piece: then the author's own name holds ': '.
    """

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._next_piece: dict[str, str | None] = {}
        self._longer: dict[str, str] = {}

    def observe(self, rest: str) -> None:
        first_end = rest.find(": ")
        if first_end < 0:
            return
        if first_end > _MAX_AUTHOR_LENGTH:
            return
        first = rest[:first_end]
        second_end = rest.find(": ", first_end + 2, first_end + 2 + _MAX_AUTHOR_LENGTH)
        second = rest[:second_end] if second_end >= 0 else None
        count = self._counts.get(first)
        if count is None:
            if len(self._counts) < _MAX_AUTHOR_PREFIXES:
                self._counts[first] = 1
                self._next_piece[first] = second
            return
        self._counts[first] = count + 1
        if second != self._next_piece[first]:
            self._next_piece[first] = None

    def settle(self) -> None:
        """Decide, once every line was observed, which authors' names hold ': '."""
        self._longer = {
            first: longer
            for first, longer in self._next_piece.items()
            if longer is not None and self._counts[first] >= 3
        }
        self._counts.clear()
        self._next_piece.clear()

    def split(self, rest: str) -> tuple[str | None, str]:
        """(author, first line of the text); author None for a system line."""
        first_end = rest.find(": ")
        if first_end < 0:
            if rest.endswith(":") and len(rest) > 1:
                return rest[:-1], ""
            return None, rest
        first = rest[:first_end]
        if _QUOTE.search(first) is not None and _QUOTED_SYSTEM.search(first):
            return None, rest
        if self._longer:
            longer = self._longer.get(first)
            if longer is not None:
                return longer, rest[len(longer) + 2 :]
        return first, rest[first_end + 2 :]


def _omitted(text: str) -> MediaRef | None:
    if _ANDROID_OMITTED.fullmatch(text):
        return MediaRef("", UNKNOWN_TYPE, omitted=True)
    match = _IOS_OMITTED.fullmatch(text)
    if match is None:
        return None
    index = next(i for i in range(len(_IOS_KIND_TYPES)) if match.group(f"k{i}") is not None)
    name = (match.group("name") or "").strip(_MARKS + " ")
    media_type = _IOS_KIND_TYPES[index] or (media_type_for(name) if name else UNKNOWN_TYPE)
    if name and _IOS_KIND_TYPES[index]:
        return None
    if match.group("kind").casefold() == "gif":
        media_type = "video/mp4"
    return MediaRef(name, media_type, omitted=True)


def _attached(text: str) -> tuple[MediaRef, ...]:
    refs: list[MediaRef] = []
    for match in _IOS_ATTACHED.finditer(text):
        name = match.group("name").strip(_MARKS)
        refs.append(MediaRef(name, media_type_for(name), omitted=False))
        if len(refs) >= _MAX_MEDIA_PER_MESSAGE:
            break
    if refs:
        return tuple(refs)
    first_line = text.partition("\n")[0]
    android = _ANDROID_ATTACHED.fullmatch(first_line) if first_line.endswith(")") else None
    if android is not None:
        name = android.group("name").strip(_MARKS)
        return (MediaRef(name, media_type_for(name), omitted=False),)
    return ()


def read_body(author: str | None, text: str, ios: bool) -> Body:
    """Classify one message's full text (all its lines) written by `author`."""
    if author is None:
        return Body(True, text.lstrip(_MARKS), (), False, None)
    marked = text[:1] in _MARKS
    plain = text.lstrip(_MARKS) if marked else text
    if (marked or ios) and _ENCRYPTION_NOTICE.match(plain):
        return Body(True, plain, (), False, author)
    call = _call(plain) if marked and "\n" not in plain else None
    if call is not None:
        return Body(False, plain, (), False, None, call=call)
    edited = _EDITED.search(plain) if plain.endswith(">") else None
    if edited is not None:
        plain = plain[: edited.start()]
        return _user_message(plain, plain)._replace(edited=True)
    body = _user_message(text, plain)
    if body.media or body.deleted or not marked or "\n" in plain:
        return body
    if len(plain) > _MAX_MARKER_LENGTH:
        return body
    if _IOS_SYSTEM_PHRASES.search(plain):
        return Body(True, plain, (), False, author)
    return body


def _call(plain: str) -> Call | None:
    """A call line such as "Missed voice call" or "Video call, 2 min" (marks removed)."""
    if len(plain) > _MAX_MARKER_LENGTH:
        return None
    text = plain.strip(_MARKS + " ")
    video = _MISSED_CALLS.get(text.casefold())
    if video is not None:
        return Call(True, video, None, False)
    match = _CALL.fullmatch(text)
    if match is None:
        return None
    seconds = None
    if match.group("length"):
        seconds = sum(
            int(n) * _CALL_UNITS[unit] for n, unit in _CALL_LENGTH.findall(match.group("length"))
        )
    return Call(
        match.group("missed") is not None,
        match.group("kind").casefold() == "video",
        seconds,
        match.group("no_answer") is not None,
    )


def _user_message(text: str, plain: str) -> Body:
    """A message a person wrote: plain text, a deletion notice, or media."""
    if len(plain) <= _MAX_DELETED_LENGTH and plain.rstrip(". ").casefold() in _DELETED:
        return Body(False, plain, (), True, None)
    if "\n" not in plain and _DELETED_BY_ADMIN.fullmatch(plain):
        return Body(False, plain, (), True, None)
    if len(plain) <= _MAX_MARKER_LENGTH and plain.endswith(_OMIT_ENDINGS):
        omitted = _omitted(plain)
        if omitted is not None:
            return Body(False, plain, (omitted,), False, None)
    attached = _attached(plain) if "<" in plain or ")" in plain else ()
    if attached:
        return Body(False, plain.replace("\u200e<", "<"), attached, False, None)
    return Body(False, text, (), False, None)
