#!/usr/bin/env bash
# Fetches the browser libraries the site serves from itself, at pinned versions,
# and checks each against the checksum written here. Run by scripts/setup.sh;
# safe to run again: it does nothing when the right version is already in place.
#
#   @cantoo/pdf-lib (MIT, the maintained fork of pdf-lib): fills a worksheet's PDF
#   with the answers typed in the browser, and reads a filled PDF back
#   (assets/javascripts/samtal/pdf-fill.js). Loaded only when a reader presses
#   "Ladda ner ifylld PDF" or "Öppna ifylld PDF".
#
# The tarball comes from the npm registry (no npm needed) and must match the
# registry's sha512 integrity value below; anything else stops the setup.
# To update: change VERSION and INTEGRITY together (the value is the "integrity"
# field of https://registry.npmjs.org/@cantoo/pdf-lib/<version>), run `make`,
# and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="@cantoo/pdf-lib"
VERSION="2.11.1"
INTEGRITY="sha512-lYuRJFfXgoP8WVE8HYSeoLfDcnSXmjMLmdZS7YvmYHngbcZfiqDOruHrZBqjYizkrNa4ad1yW4WCrPYyb26T3Q=="
DEST="overrides/assets/vendor/pdf-lib"

stamp="$DEST/.version"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$PACKAGE@$VERSION $INTEGRITY" && -f "$DEST/pdf-lib.esm.min.js" ]]; then
  exit 0
fi

echo "setup: fetching $PACKAGE $VERSION from the npm registry"
"${PYTHON:-python3}" - "$PACKAGE" "$VERSION" "$INTEGRITY" "$DEST" <<'PY'
import base64
import hashlib
import io
import os
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

package, version, integrity, dest = sys.argv[1:5]
name = package.split("/")[-1]
url = f"https://registry.npmjs.org/{package}/-/{name}-{version}.tgz"
try:
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
except OSError as exc:
    sys.exit(f"setup: could not fetch {url}: {exc}")

algorithm, _, expected = integrity.partition("-")
actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
if actual != expected:
    sys.exit(f"setup: {url} does not match its checksum ({algorithm}-{actual}, expected {integrity}); nothing was installed")

# What the site serves: the self-contained ES module build and the licence.
wanted = {
    "package/dist/pdf-lib.esm.min.js": "pdf-lib.esm.min.js",
    "package/LICENSE.md": "LICENSE.txt",  # .txt: MkDocs would take a .md for a page
}
out = Path(dest)
out.mkdir(parents=True, exist_ok=True)
with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
    for member, target in wanted.items():
        info = archive.getmember(member)
        if not info.isfile():
            sys.exit(f"setup: {member} in {url} is not a file")
        content = archive.extractfile(info).read()
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{target}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out / target)
(out / ".version").write_text(f"{package}@{version} {integrity}", encoding="utf-8")
PY
