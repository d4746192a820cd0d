"""The worksheet's pure JavaScript modules under Node's own test runner, and its words.

The unit tests are ``tests/js/*.test.mjs`` (store and merge, values, rows,
calendar, export and text, translate); Node reads the site's modules as
ES modules through ``tests/js/loader.mjs``. The words: every text key the
modules ask for is in the ``js`` section of the Swedish strings file, and
every key there is asked for, so no word is written in JavaScript and no
string is left behind unused.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from samtal.strings import ENGINE_DIR, load_strings

MODULES = ROOT / "overrides" / "assets" / "javascripts" / "samtal"
# t("key") and t("key", {...}) in the modules (a key is always written out in the call).
T_CALL = re.compile(r"""\bt\(\s*["']([a-z_.]+)["']""")
# Keys chosen at run time: a FileProblem names its message by key (export.js).
PROBLEM = re.compile(r"""new FileProblem\(\s*["']([a-z_.]+)["']""")


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("node is missing: run `make test`, which installs Debian's nodejs")
    result = subprocess.run(
        [node, "--experimental-loader", "./tests/js/loader.mjs", "--test", "tests/js/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^# pass [1-9]", result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^# fail 0$", result.stdout, re.MULTILINE), result.stdout


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in MODULES.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        keys.update(T_CALL.findall(text))
        keys.update(PROBLEM.findall(text))
    return keys


def test_every_text_the_modules_show_is_in_the_strings_file_and_used() -> None:
    texts = load_strings("sv", [ENGINE_DIR]).section("js")
    used = used_keys()
    assert used, "the modules ask for texts"
    assert sorted(used - set(texts)) == [], "texts the JavaScript asks for that sv.yml lacks"
    assert sorted(set(texts) - used) == [], "texts in the js section that no module asks for"


def test_the_modules_hold_no_swedish_words() -> None:
    # Text a reader sees comes from strings.js; a Swedish letter in a module
    # (outside comments) means a word was written in code.
    for path in MODULES.glob("*.js"):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert not re.search(r"[åäöÅÄÖ]", code), path.name
