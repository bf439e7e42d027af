#!/bin/sh
# Installs the Debian packages the tests need, when run as root and when they are missing.
# As a normal user it only reports what is missing.
set -eu
# chromium: the web app's end-to-end tests; poppler-utils: pdfinfo, pdftotext and pdftoppm
# check the report; postgresql: the caseworker server's tests.
PACKAGES="chromium poppler-utils postgresql"
missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
    echo "Missing system packages (install them as root):$missing" >&2
fi
