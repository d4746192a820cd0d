"""One Content-Security-Policy for every page: only the site's own files may run.

No inline script is allowed, not even by hash: the theme's inline scripts
are moved into files (``overrides/partials/javascripts/``), so a script that
bank or config text might smuggle into a page can never run. The policy is
fixed: it is never computed from a page's content.
"""

from __future__ import annotations

import re

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
# `mkdocs serve` injects its live-reload script inline at the end of each page
# it serves (with a timestamp, so no hash can be known in advance). Only there
# is inline script allowed; a built site never allows it.
SERVE_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)


def tag(policy: str = POLICY) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def has_policy(html: str) -> bool:
    return 'http-equiv="Content-Security-Policy"' in html[:4096]


def add_policy(html: str, policy: str = POLICY) -> str:
    """``html`` with the policy ``<meta>`` right after the charset declaration (before any script)."""
    match = _CHARSET.search(html)
    if match is None:
        return html.replace("<head>", f"<head>{tag(policy)}", 1)
    return html[: match.end()] + tag(policy) + html[match.end() :]
