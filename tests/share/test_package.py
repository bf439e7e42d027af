"""Share packages: the round trip, every kind of tampering rejected whole, scope and sequence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from safetrail.services.casebook import Casebook
from safetrail.share.model import PackageMarker, PackageRejected, Scope
from safetrail.share.package import LastReceived, OpenedPackage, create_package, open_package
from safetrail.share.signing import sign_hex
from tests.share.sharekit import (
    LETTER,
    NOTE,
    Recipient,
    consent,
    consent_signer,
    fill,
    recipient,
    tamper,
)


@pytest.fixture
def to() -> Recipient:
    return recipient()


@pytest.fixture
def first(book: Casebook, tmp_path: Path, to: Recipient) -> Path:
    fill(book, tmp_path)
    made = consent(book, to)
    out = tmp_path / "package-1.age"
    create_package(book, made.consent_id, out, previous=None)
    return out


def _rejected(path: Path, to: Recipient, last_received: LastReceived | None = None) -> str:
    with pytest.raises(PackageRejected) as caught:
        open_package(path, to.secret, last_received=last_received)
    return caught.value.reason


def test_round_trip_gives_back_everything_checked(
    book: Casebook, first: Path, to: Recipient
) -> None:
    opened = open_package(first, to.secret)
    assert opened.casebook_id == book.casebook_id
    assert opened.sequence == 1 and not opened.is_update
    assert opened.previous_package_id is None and opened.previous_sha256 is None
    assert opened.consent.recipient_key == to.public
    assert opened.consent.purpose == "Support and safety planning"
    assert opened.consent.scope.everything
    assert [i["id"] for i in opened.incidents] == [1, 2]
    assert [e.exhibit_ref for e in opened.evidence] == ["JS/1", "JS/2", "JS/3"]
    letter = opened.evidence[0]
    assert letter.original_filename == "letter.txt" and letter.size == len(LETTER)
    assert opened.read_original(1) == LETTER
    assert len(opened.records) > 0
    assert {r["evidence_id"] for r in opened.records} == {3}
    assert {r.name for r in opened.reports} == {"chronology", "timeline"}
    assert opened.read_report("chronology").startswith(b"\xef\xbb\xbfentry,")
    assert opened.custody_head == opened.custody_log[-1].hash
    assert all("private_notes" not in i for i in opened.incidents)


def test_wrong_key_is_rejected(first: Path) -> None:
    assert "cannot be decrypted" in _rejected(first, recipient())


def test_a_flipped_byte_in_the_ciphertext_is_rejected(first: Path, to: Recipient) -> None:
    data = bytearray(first.read_bytes())
    data[len(data) // 2] ^= 0x01
    first.write_bytes(bytes(data))
    assert "cannot be decrypted" in _rejected(first, to)


def test_a_cut_file_is_rejected(first: Path, to: Recipient) -> None:
    first.write_bytes(first.read_bytes()[:-100])
    assert "cannot be decrypted" in _rejected(first, to)


def _flip_in(name: str) -> object:
    def change(files: dict[str, bytes]) -> None:
        data = bytearray(files[name])
        data[len(data) // 2] ^= 0x01
        files[name] = bytes(data)

    return change


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("data/incidents.json", "data/incidents.json was changed"),
        ("data/share/consent.json", "data/share/consent.json was changed"),
        ("data/custody-log.jsonl", "data/custody-log.jsonl was changed"),
        ("bag-info.txt", "bag-info.txt was changed"),
        ("manifest-sha256.txt", "manifest-sha256.txt was changed"),
        ("signature-ed25519.txt", "signature does not match"),
    ],
)
def test_a_changed_inner_file_is_rejected(
    first: Path, to: Recipient, name: str, reason: str
) -> None:
    changed = tamper(first, to, _flip_in(name))  # type: ignore[arg-type]
    assert reason in _rejected(changed, to)


def test_a_changed_original_is_rejected(first: Path, to: Recipient) -> None:
    def change(files: dict[str, bytes]) -> None:
        name = next(n for n in files if n.startswith("data/originals/JS-1_"))
        files[name] = b"You can hide from me.\n"

    assert "was changed" in _rejected(tamper(first, to, change), to)


def test_a_removed_file_is_rejected(first: Path, to: Recipient) -> None:
    def change(files: dict[str, bytes]) -> None:
        del files[next(n for n in files if n.startswith("data/originals/JS-2_"))]

    assert "is missing" in _rejected(tamper(first, to, change), to)


@pytest.mark.parametrize("name", ["data/originals/extra.txt", "extra.txt"])
def test_an_added_file_is_rejected(first: Path, to: Recipient, name: str) -> None:
    def change(files: dict[str, bytes]) -> None:
        files[name] = b"planted"

    assert "was added" in _rejected(tamper(first, to, change), to)


def test_a_resealed_package_without_the_consent_key_is_rejected(first: Path, to: Recipient) -> None:
    forger = Ed25519PrivateKey.generate()

    def change(files: dict[str, bytes]) -> None:
        files["data/incidents.json"] = b"[]"

    changed = tamper(first, to, change, sign=lambda m: sign_hex(forger, m))
    assert "signature does not match" in _rejected(changed, to)


def test_a_broken_custody_chain_is_rejected_even_when_resealed(
    book: Casebook, first: Path, to: Recipient
) -> None:
    made = open_package(first, to.secret).consent

    def change(files: dict[str, bytes]) -> None:
        lines = files["data/custody-log.jsonl"].decode().splitlines()
        entry = json.loads(lines[1])
        entry["at"] = "2001-01-01T00:00:00+00:00"
        lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"))
        files["data/custody-log.jsonl"] = ("\n".join(lines) + "\n").encode()

    changed = tamper(first, to, change, sign=consent_signer(book, made))
    assert "custody log is broken" in _rejected(changed, to)


def test_an_edited_consent_record_is_rejected_even_when_resealed(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    fill(book, tmp_path)
    made = consent(book, to, Scope(incident_ids=frozenset({1})))
    out = tmp_path / "narrow.age"
    create_package(book, made.consent_id, out, previous=None)

    def change(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/share/consent.json"])
        data["scope"]["everything"] = True
        files["data/share/consent.json"] = json.dumps(
            data, sort_keys=True, separators=(",", ":")
        ).encode()

    changed = tamper(out, to, change, sign=consent_signer(book, made))
    assert "consent record was edited" in _rejected(changed, to)


def test_content_beyond_the_consent_is_rejected_even_when_resealed(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    fill(book, tmp_path)
    made = consent(book, to, Scope(incident_ids=frozenset({1})))
    out = tmp_path / "narrow.age"
    create_package(book, made.consent_id, out, previous=None)

    def change(files: dict[str, bytes]) -> None:
        incidents = json.loads(files["data/incidents.json"])
        incidents[0]["private_notes"] = NOTE
        files["data/incidents.json"] = json.dumps(incidents).encode()

    changed = tamper(out, to, change, sign=consent_signer(book, made))
    assert "private notes" in _rejected(changed, to)


def test_scope_chosen_items_only_and_no_private_notes(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    fill(book, tmp_path)
    scope = Scope(incident_ids=frozenset({2}), evidence_ids=frozenset({1, 3}))
    made = consent(book, to, scope)
    out = tmp_path / "chosen.age"
    summary = create_package(book, made.consent_id, out, previous=None)
    opened = open_package(out, to.secret)
    assert [i["id"] for i in opened.incidents] == [2]
    assert {e.evidence_id for e in opened.evidence} == {1, 3}
    assert {r["evidence_id"] for r in opened.records} == {3}
    assert summary.records == len(opened.records)
    assert opened.reports == ()
    assert all("private_notes" not in i for i in opened.incidents)
    with pytest.raises(KeyError):
        opened.read_original(2)


def test_private_notes_only_when_chosen(book: Casebook, tmp_path: Path, to: Recipient) -> None:
    fill(book, tmp_path)
    made = consent(book, to, Scope(everything=True, include_private_notes=True))
    out = tmp_path / "notes.age"
    create_package(book, made.consent_id, out, previous=None)
    opened = open_package(out, to.secret)
    assert [i["private_notes"] for i in opened.incidents] == [NOTE, NOTE]


def test_date_range_narrows_incidents_and_records(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    from datetime import UTC, datetime

    fill(book, tmp_path)
    start = datetime(2017, 3, 10, tzinfo=UTC)
    made = consent(book, to, Scope(everything=True, start=start))
    out = tmp_path / "range.age"
    create_package(book, made.consent_id, out, previous=None)
    opened = open_package(out, to.secret)
    assert [i["id"] for i in opened.incidents] == [2]
    for record in opened.records:
        assert isinstance(record["occurred_at"], str)
        assert datetime.fromisoformat(record["occurred_at"]) >= start


def test_a_package_for_another_recipient_is_rejected_even_with_their_key(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    """Re-encrypting someone else's package to yourself does not make it yours."""
    from safetrail.share.age import decrypt_bytes, encrypt_bytes

    fill(book, tmp_path)
    made = consent(book, to)
    out = tmp_path / "p.age"
    create_package(book, made.consent_id, out, previous=None)
    thief = recipient()
    stolen = tmp_path / "stolen.age"
    stolen.write_bytes(encrypt_bytes(decrypt_bytes(out.read_bytes(), to.secret), thief.public))
    assert "different recipient" in _rejected(stolen, thief)


def _last(marker: PackageMarker | None) -> LastReceived:
    return lambda casebook_id, consent_uid: marker


def test_updates_follow_in_sequence_and_replays_are_rejected(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    from safetrail.share.consent import last_package

    fill(book, tmp_path)
    made = consent(book, to)
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    second = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    third = create_package(book, made.consent_id, tmp_path / "3.age", previous=second.marker)
    stored = last_package(book, made.consent_id)
    assert stored is not None and stored.marker == third.marker

    one = open_package(first.path, to.secret, last_received=lambda *_: None)
    assert one.marker == first.marker
    assert "already received" in _rejected(first.path, to, last_received=_last(one.marker))
    assert "was not received" in _rejected(second.path, to)
    assert "out of sequence" in _rejected(third.path, to, last_received=_last(one.marker))
    two = open_package(second.path, to.secret, last_received=_last(one.marker))
    assert two.is_update and two.previous_sha256 == first.marker.sha256
    assert "out of sequence" in _rejected(second.path, to, last_received=_last(two.marker))
    forked = PackageMarker(**{**one.marker.to_json(), "sha256": "0" * 64})  # type: ignore[arg-type]
    assert "different package" in _rejected(second.path, to, last_received=_last(forked))
    three = open_package(third.path, to.secret, last_received=_last(two.marker))
    assert three.sequence == 3


def test_the_sender_must_name_its_own_last_package(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    from safetrail.services.errors import SafetrailError

    fill(book, tmp_path)
    made = consent(book, to)
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    with pytest.raises(SafetrailError):
        create_package(book, made.consent_id, tmp_path / "again.age", previous=None)
    create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    with pytest.raises(SafetrailError):
        create_package(book, made.consent_id, tmp_path / "fork.age", previous=first.marker)


def _opened_chain(paths: list[Path], to: Recipient) -> list[OpenedPackage]:
    opened: list[OpenedPackage] = []
    for path in paths:
        last = opened[-1].marker if opened else None
        opened.append(open_package(path, to.secret, last_received=_last(last)))
    return opened


def test_an_update_holds_only_new_and_changed_items(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from safetrail.models.incident import IncidentDetails
    from safetrail.services.evidence import add_file
    from safetrail.services.incidents import add_incident, edit_incident, get_incident

    fill(book, tmp_path)
    made = consent(book, to, Scope(everything=True, reports=frozenset({"chronology"})))
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    nothing = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    assert (nothing.incidents, nothing.evidence, nothing.records, nothing.reports) == (
        0,
        0,
        0,
        (),
    )

    old = get_incident(book, 1).details
    edit_incident(book, 1, replace(old, what_happened="Corrected"))
    add_incident(
        book,
        IncidentDetails(occurred_start=datetime(2017, 4, 1, tzinfo=UTC), what_happened="New"),
    )
    extra = tmp_path / "voicemail.txt"
    extra.write_bytes(b"transcript")
    add_file(book, extra)
    third = create_package(book, made.consent_id, tmp_path / "3.age", previous=nothing.marker)
    a, b, c = _opened_chain([first.path, nothing.path, third.path], to)
    assert len(a.incidents) == 2 and len(a.evidence) == 3
    assert b.incidents == () and b.evidence == () and b.records == () and b.reports == ()
    assert sorted((i["id"], i["what_happened"]) for i in c.incidents) == [
        (1, "Corrected"),
        (3, "New"),
    ]
    assert [e.evidence_id for e in c.evidence] == [4]
    assert c.read_original(4) == b"transcript"
    assert c.records == ()
    assert [r.name for r in c.reports] == ["chronology"]


def test_an_update_names_what_is_no_longer_shared(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    from safetrail.services.incidents import remove_incident
    from safetrail.share.consent import change_consent

    fill(book, tmp_path)
    made = consent(book, to, Scope(incident_ids=frozenset({1, 2}), evidence_ids=frozenset({1})))
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    remove_incident(book, 2, "written twice by mistake")
    narrower = Scope(incident_ids=frozenset({1, 2}), evidence_ids=frozenset({3}))
    change_consent(book, made.consent_id, scope=narrower)
    second = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    assert second.withdrawn_incidents == (2,) and second.withdrawn_evidence == (1,)
    _, opened = _opened_chain([first.path, second.path], to)
    assert opened.withdrawn_incidents == (2,) and opened.withdrawn_evidence == (1,)
    assert [e.evidence_id for e in opened.evidence] == [3]
    assert opened.consent.version == made.version + 1


def test_a_correction_to_records_sends_that_exhibits_records_again(
    book: Casebook, tmp_path: Path, to: Recipient
) -> None:
    from safetrail.services.records import senders_of, set_me

    fill(book, tmp_path)
    made = consent(book, to)
    first = create_package(book, made.consent_id, tmp_path / "1.age", previous=None)
    key = senders_of(book, 3)[0][0]
    set_me(book, 3, key)
    second = create_package(book, made.consent_id, tmp_path / "2.age", previous=first.marker)
    a, b = _opened_chain([first.path, second.path], to)
    assert len(b.records) == len(a.records) == second.records > 0
    assert b.evidence == () and b.incidents == ()
    assert [r["direction"] for r in b.records] != [r["direction"] for r in a.records]
