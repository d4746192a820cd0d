#!/usr/bin/env bash
# Sets up everything the guide needs on a Debian machine: system packages
# (with apt-get when missing), a virtual environment in .venv/ and the pinned
# Python packages. Run by `make`; safe to run again: it only does what is missing.
#
#   scripts/setup.sh          what `make serve` and `make build` need
#   scripts/setup.sh test     also what `make test` needs (Chromium, Playwright, ...)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
# WeasyPrint needs Pango; libharfbuzz-subset0 makes its PDFs small, fast and reproducible.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ "$mode" == "test" ]]; then
  # nodejs: unit tests of the browser modules; strace: tests/test_security.py watches what a
  # build opens; zbar-tools: the PDF tests decode the QR codes
  packages+=(chromium nodejs strace zbar-tools)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  if [[ "$(id -u)" == "0" ]]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these system packages are missing: ${missing[*]}" >&2
    echo "setup: run this, then try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

python="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv/"
  "$python" -m venv .venv
fi

requirements=requirements.txt
[[ "$mode" == "test" ]] && requirements=requirements-test.txt
stamp=".venv/.installed-$(cat requirements.txt requirements-test.txt | sha256sum | cut -c1-16)-$mode"
if [[ ! -f "$stamp" ]]; then
  echo "setup: installing Python packages from $requirements"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  .venv/bin/python -m pip check >/dev/null
  touch "$stamp"
fi
scripts/vendor.sh  # the pinned browser libraries the site serves itself (pdf-lib), checksum-verified
