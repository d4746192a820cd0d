#!/usr/bin/env bash
# Makes the font subsets used by the PDF stylesheet (../print.css).
#
# WeasyPrint embeds the whole font file for PDF form fields, so the PDFs stay
# small only with a small font. The source is DejaVu Sans from Debian's
# fonts-dejavu-core (licence: LICENSE.txt beside this script). The subset keeps
# Latin (Swedish included), Latin-1 and common punctuation.
#
# Run again only to change the subset; the output is committed:
#   overrides/samtal/pdf/fonts/subset.sh
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/truetype/dejavu
pyftsubset="${PYFTSUBSET:-../../../../.venv/bin/pyftsubset}"
unicodes="U+0020-007E,U+00A0-00FF,U+0152-0153,U+0160-0161,U+0178,U+017D-017E,U+2010-2027,U+2030-203A,U+2044,U+20AC,U+2122,U+2190-2193,U+2212,U+2610,U+2713"
for face in DejaVuSans DejaVuSans-Bold; do
  "$pyftsubset" "$src/$face.ttf" \
    --unicodes="$unicodes" \
    --layout-features='kern,liga,calt,ccmp,locl,mark,mkmk' \
    --no-hinting --desubroutinize \
    --name-IDs='*' --name-languages='*' \
    --output-file="$face-subset.ttf"
done
