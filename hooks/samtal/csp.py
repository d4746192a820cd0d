"""A Content-Security-Policy for each page, allowing only the site's own origin.

The theme has a few small inline scripts. They are allowed by their sha256
hashes, computed from the finished page (they differ with page depth), never
by ``'unsafe-inline'``.
"""

from __future__ import annotations

import base64
import hashlib
import re

from markupsafe import Markup

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for every inline script in ``html``, in page order."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        if "src=" in match.group("attrs").lower():
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy(html: str) -> str:
    scripts = " ".join(["'self'", *inline_script_hashes(html)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def has_policy(html: str) -> bool:
    return 'http-equiv="Content-Security-Policy"' in html


def add_policy(html: str) -> str:
    """``html`` with a CSP ``<meta>`` placed right after the charset declaration."""
    tag = Markup('<meta http-equiv="Content-Security-Policy" content="{}">').format(policy(html))
    match = _CHARSET.search(html)
    if match is None:
        return html.replace("<head>", f"<head>{tag}", 1)
    return html[: match.end()] + str(tag) + html[match.end() :]
