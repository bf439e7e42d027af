"""How a recipient checks the evidence bundle with ordinary tools, in the report's own words."""

from __future__ import annotations

VERIFY_STEPS: tuple[str, ...] = (
    "This report comes with an evidence bundle: a zip file holding a BagIt bag (RFC 8493) with "
    "the original files byte for byte, the records taken from them, this report, and the "
    "custody log. The bundle is checked without Safetrail, with tools found on most computers.",
    "1. Unzip the bundle and open a terminal in the bag folder (the one holding data/ and "
    "manifest-sha256.txt).",
    "2. Run: sha256sum -c manifest-sha256.txt. Every line must end in OK. A changed or missing "
    "file is named. The SHA-256 of each original is also printed in the exhibits list of this "
    "report, so a single file can be checked on its own with: sha256sum FILE.",
    "3. Count the files with: find data -type f | wc -l. The number must equal the second "
    "number of Payload-Oxum in bag-info.txt; more files means something was added.",
    "4. The custody log (data/custody-log.jsonl) is a hash chain: each entry holds the SHA-256 "
    "of the one before. README.txt in the bag has a short script that recomputes it; the last "
    "hash must equal Custody-Log-Head in bag-info.txt and the custody-log head on the cover of "
    "this report, if the report was made at the same time as the bundle.",
    "5. With Python's bagit library: python3 -c \"import bagit; bagit.Bag('.').validate()\". "
    "Safetrail's own check is: safetrail verify-bundle BUNDLE.zip.",
)
