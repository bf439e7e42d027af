"""CASE/UCO JSON-LD for forensic tools: the original files, their hashes, how they came in.

Each original file is an `observable:File` with its name, size and SHA-256. Its acquisition
(added to the casebook, hashed on arrival) and each import that read records from it are
`case-investigation:InvestigativeAction`s, with Safetrail as the instrument and the custody log
entry they come from. Identifiers are UUIDs derived from the casebook id, so exporting the same
casebook twice gives the same graph.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from safetrail.export.selection import Selection, redact, subject_identifiers
from safetrail.models.evidence import EvidenceItem
from safetrail.models.jsonvalue import JsonObject, JsonValue
from safetrail.models.timeutil import to_iso
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import list_evidence
from safetrail.storage import repository
from safetrail.vault.atomic import atomic_write_bytes
from safetrail.vault.custody import LogEntry

CONTEXT: JsonObject = {
    "kb": "urn:safetrail:kb:",
    "case-investigation": "https://ontology.caseontology.org/case/investigation/",
    "core": "https://ontology.unifiedcyberontology.org/uco/core/",
    "observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
    "types": "https://ontology.unifiedcyberontology.org/uco/types/",
    "action": "https://ontology.unifiedcyberontology.org/uco/action/",
    "tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True, slots=True)
class CaseExport:
    files: int
    actions: int


def _typed(kind: str, value: str | int) -> JsonObject:
    return {"@type": f"xsd:{kind}", "@value": value}


class _Graph:
    def __init__(self, casebook_id: str) -> None:
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:safetrail:casebook:{casebook_id}")
        self.nodes: list[JsonValue] = []

    def iri(self, prefix: str, key: str) -> str:
        return f"kb:{prefix}-{uuid.uuid5(self.namespace, f'{prefix}:{key}')}"

    def add(self, node: JsonObject) -> str:
        self.nodes.append(node)
        return str(node["@id"])


def _tool(graph: _Graph) -> str:
    return graph.add(
        {
            "@id": graph.iri("tool", "safetrail"),
            "@type": "tool:Tool",
            "core:name": "Safetrail",
            "tool:version": version("safetrail"),
            "tool:toolType": "evidence vault and importer",
        }
    )


def _file(graph: _Graph, item: EvidenceItem, clean: Callable[[str], str]) -> str:
    file = item.file
    assert file is not None
    key = str(item.id)
    description = f"Exhibit {item.exhibit_ref}"
    if item.description.description:
        description += f": {clean(item.description.description)}"
    hash_node: JsonObject = {
        "@id": graph.iri("hash", key),
        "@type": "types:Hash",
        "types:hashMethod": "SHA256",
        "types:hashValue": _typed("hexBinary", file.sha256.upper()),
    }
    return graph.add(
        {
            "@id": graph.iri("file", key),
            "@type": "observable:File",
            "core:name": item.exhibit_ref,
            "core:description": description,
            "core:hasFacet": [
                {
                    "@id": graph.iri("file-facet", key),
                    "@type": "observable:FileFacet",
                    "observable:fileName": file.original_filename,
                    "observable:sizeInBytes": _typed("integer", file.size),
                },
                {
                    "@id": graph.iri("content-facet", key),
                    "@type": "observable:ContentDataFacet",
                    "observable:mimeType": file.media_type,
                    "observable:sizeInBytes": _typed("integer", file.size),
                    "observable:hash": [hash_node],
                },
            ],
        }
    )


def _action(
    graph: _Graph, key: str, name: str, at: str, description: str, links: JsonObject
) -> None:
    graph.add(
        {
            "@id": graph.iri("action", key),
            "@type": "case-investigation:InvestigativeAction",
            "core:name": name,
            "core:description": description,
            "action:startTime": _typed("dateTime", at),
            **links,
        }
    )


def _imports(book: Casebook) -> dict[int, list[LogEntry]]:
    found: dict[int, list[LogEntry]] = {}
    with book.read() as conn:
        for entry in repository.log_entries(conn):
            if entry.action == "import" and entry.kind == "evidence" and entry.entity_id:
                found.setdefault(entry.entity_id, []).append(entry)
    return found


def case_graph(book: Casebook, selection: Selection) -> JsonObject:
    """The JSON-LD document: every original file, its acquisition and its imports."""
    keep = subject_identifiers(book)
    clean: Callable[[str], str] = (
        (lambda text: redact(text, keep)) if selection.redact_third_parties else str
    )
    graph = _Graph(book.casebook_id)
    tool: JsonObject = {"@id": _tool(graph)}
    imports = _imports(book)
    for item in list_evidence(book):
        if item.file is None:
            continue
        file: JsonObject = {"@id": _file(graph, item, clean)}
        _action(
            graph,
            f"acquisition:{item.id}",
            "acquisition",
            to_iso(item.acquired_at),
            f"Original file added to the encrypted casebook as exhibit {item.exhibit_ref}; "
            "SHA-256 computed on arrival and checked on every read.",
            {"action:instrument": [tool], "action:result": [file]},
        )
        for entry in imports.get(item.id, []):
            added = entry.details.get("records_added", 0)
            importer = entry.details.get("importer", "importer")
            _action(
                graph,
                f"import:{entry.seq}",
                "import",
                entry.at,
                f"{added} records read from exhibit {item.exhibit_ref} by Safetrail's "
                f"{importer} (custody log entry {entry.seq}, hash {entry.hash}).",
                {"action:instrument": [tool], "action:object": [file]},
            )
    return {"@context": CONTEXT, "@graph": graph.nodes}


def write_case(book: Casebook, out: Path, selection: Selection) -> CaseExport:
    document = case_graph(book, selection)
    nodes = document["@graph"]
    assert isinstance(nodes, list)
    actions = sum(1 for n in nodes if isinstance(n, dict) and n.get("core:name") in _ACTIONS)
    files = sum(1 for n in nodes if isinstance(n, dict) and n.get("@type") == "observable:File")
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(out, text.encode("utf-8"))
    return CaseExport(files, actions)


_ACTIONS = frozenset({"acquisition", "import"})
