#!/bin/sh
# Update the vendored front end of the web app (src/safetrail/web/static/vendor/) from npm.
#
#   sh scripts/vendor-frontend.sh            # the versions pinned below
#   GOVUK_VERSION=6.7.0 sh scripts/vendor-frontend.sh
#
# Uses `npm view` and `npm pack` only (no install, no build step, no scripts run). Keeps the
# compiled CSS and JS and the few images the CSS asks for. It does NOT ship the GDS Transport
# font, the crown, the crest or any GOV.UK logo: the @font-face rules and the crest are removed
# from the CSS, and every font-family falls back to system fonts. Writes VERSIONS.txt with the
# version, licence, tarball SHA-512 integrity and source of each package.
set -eu

GOVUK_VERSION="${GOVUK_VERSION:-6.6.0}"
MOJ_VERSION="${MOJ_VERSION:-11.1.0}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$HERE/src/safetrail/web/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() { # package version folder
    (cd "$WORK" && npm pack --silent "$1@$2" >/dev/null)
    mkdir -p "$WORK/$3"
    tar xzf "$WORK"/*"$(echo "$1" | sed 's#^@##; s#/#-#')-$2.tgz" -C "$WORK/$3"
}

record() { # package version
    licence="$(cd "$WORK" && npm view "$1@$2" license 2>/dev/null)"
    integrity="$(cd "$WORK" && npm view "$1@$2" dist.integrity 2>/dev/null)"
    printf '%s %s\n  licence: %s\n  integrity: %s\n  source: https://www.npmjs.com/package/%s\n' \
        "$1" "$2" "$licence" "$integrity" "$1" >>"$OUT/VERSIONS.txt"
}

fetch govuk-frontend "$GOVUK_VERSION" govuk
fetch @ministryofjustice/frontend "$MOJ_VERSION" moj

rm -rf "$OUT"
mkdir -p "$OUT/govuk-frontend" "$OUT/moj-frontend/images"
G="$WORK/govuk/package/dist/govuk"
M="$WORK/moj/package/moj"
cp "$G/govuk-frontend.min.css" "$OUT/govuk-frontend/"
cp "$G/govuk-frontend.min.js" "$OUT/govuk-frontend/"
cp "$M/moj-frontend.min.css" "$OUT/moj-frontend/"
cp "$M/moj-frontend.min.js" "$OUT/moj-frontend/"
for image in $(grep -o 'url(/assets/images/[a-z0-9-]*\.svg)' "$M/moj-frontend.min.css" \
        | sed 's#url(/assets/images/##; s#)##' | sort -u); do
    cp "$M/assets/images/$image" "$OUT/moj-frontend/images/"
done

python3 - "$OUT" <<'PY'
"""Strip the GOV.UK font, crest and source-map links; point MOJ images at the vendored copies."""
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])
SYSTEM = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'
for css in out.glob("*/*.css"):
    text = css.read_text("utf-8")
    text = re.sub(r"/\*![^*]*GDS Transport[^*]*\*/", "", text)
    text = re.sub(r"/\*![^*]*Margaret Calvert[^*]*\*/", "", text)
    text = re.sub(r"@font-face\{[^}]*\}", "", text)
    text = text.replace("font-family:GDS Transport,arial,sans-serif", f"font-family:{SYSTEM}")
    text = text.replace("font-family:GDS Transport", f"font-family:{SYSTEM}")
    text = text.replace("url(/assets/images/govuk-crest.svg)", "none")
    text = text.replace("url(/assets/images/", "url(images/")
    text = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", text)
    for forbidden in ("GDS Transport", "/assets/", "//"):
        if forbidden == "//":
            if re.search(r"url\((?:['\"])?(?:https?:)?//", text):
                raise SystemExit(f"{css}: still refers to another site")
        elif forbidden in text:
            raise SystemExit(f"{css}: still contains {forbidden!r}")
    css.write_text(text, "utf-8")
for js in out.glob("*/*.js"):
    text = js.read_text("utf-8")
    js.write_text(re.sub(r"//# sourceMappingURL=\S+\s*$", "", text), "utf-8")
PY

: >"$OUT/VERSIONS.txt"
printf 'Vendored by scripts/vendor-frontend.sh. Do not edit these files by hand.\n' >>"$OUT/VERSIONS.txt"
printf 'The GDS Transport font, the crown and crest are deliberately not included.\n\n' \
    >>"$OUT/VERSIONS.txt"
record govuk-frontend "$GOVUK_VERSION"
record @ministryofjustice/frontend "$MOJ_VERSION"
cat >"$OUT/LICENCES.txt" <<'TXT'
GOV.UK Frontend (govuk-frontend) and MOJ Frontend (@ministryofjustice/frontend) are released
under the MIT licence by their authors (Crown copyright, Government Digital Service and Ministry
of Justice). The MIT licence:

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

The GDS Transport typeface, the GOV.UK crown and the royal crest are not covered by that licence
and are not shipped with Safetrail.
TXT
echo "Vendored into $OUT:"
cat "$OUT/VERSIONS.txt"
