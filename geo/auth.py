"""Who may change data: an optional shared password or Streamlit's OIDC login.

The library decides *whether* editing is restricted from the app's secrets; the
pages do the signing in.  Three modes, chosen by what is configured:

``open``
    Nothing configured (local use): everyone may ingest, edit and delete.
``password``
    ``[geo_auth] password_hash = "pbkdf2_sha256$…"`` in ``.streamlit/secrets.toml``
    (make the hash with ``python -m geo hash-password``): readers browse; whoever
    enters the password may change data.
``oidc``
    Streamlit's built-in ``[auth]`` section (``client_id``, ``client_secret``,
    ``server_metadata_url``, ``redirect_uri``, ``cookie_secret``): signed-in users
    may change data.  Optionally ``[geo_auth] editors = ["a@x.org", …]`` limits
    editing to those e-mail addresses.

Passwords are never stored: only a salted PBKDF2-SHA256 hash, compared in
constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geo._errors import SettingError

__all__ = ["AuthConfig", "hash_password", "verify_password"]

_SCHEME = "pbkdf2_sha256"
_ITERATIONS = 390_000
_OIDC_KEYS = ("client_id", "server_metadata_url")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(
    password: str, *, salt: bytes | None = None, iterations: int = _ITERATIONS
) -> str:
    """A storable hash: ``pbkdf2_sha256$<iterations>$<salt>$<digest>`` (base64url)."""
    if not password:
        raise ValueError("the password must not be empty")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{_SCHEME}${iterations}${_b64(salt)}${_b64(digest)}"


def _parse_hash(stored: str) -> tuple[int, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != _SCHEME or not parts[1].isdigit():
        raise SettingError(
            "geo_auth.password_hash",
            stored[:24] + "…",
            f"a {_SCHEME}$… hash",
            "Make one with `python -m geo hash-password`",
        )
    return int(parts[1]), _unb64(parts[2]), _unb64(parts[3])


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (constant-time comparison)."""
    iterations, salt, expected = _parse_hash(stored)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(digest, expected)


def _section(secrets_: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    try:
        value = secrets_.get(name) if hasattr(secrets_, "get") else None
    except Exception:  # st.secrets raises when no secrets file exists
        return {}
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class AuthConfig:
    """The access mode read from the app's secrets."""

    mode: str = "open"  # open | password | oidc
    password_hash: str = ""
    editors: tuple[str, ...] = field(default=())

    @classmethod
    def from_secrets(cls, secrets_: Mapping[str, Any]) -> AuthConfig:
        """Read ``[auth]`` (Streamlit OIDC) and ``[geo_auth]`` from the secrets.

        Raises :class:`SettingError` for a malformed password hash, so a typo does not
        silently leave the app open.
        """
        geo_auth = _section(secrets_, "geo_auth")
        editors = tuple(str(e).casefold() for e in geo_auth.get("editors", ()) or ())
        if all(_section(secrets_, "auth").get(k) for k in _OIDC_KEYS):
            return cls("oidc", editors=editors)
        stored = str(geo_auth.get("password_hash", "") or "")
        if stored:
            _parse_hash(stored)
            return cls("password", password_hash=stored, editors=editors)
        return cls("open")

    @property
    def restricted(self) -> bool:
        """True when only signed-in users may change data."""
        return self.mode != "open"

    def may_edit(self, *, signed_in: bool, email: str = "") -> bool:
        """Whether a user in this state may ingest, edit or delete."""
        if not self.restricted:
            return True
        if not signed_in:
            return False
        return not self.editors or email.casefold() in self.editors

    def check_password(self, password: str) -> bool:
        """True when the shared password is right (password mode only)."""
        return self.mode == "password" and verify_password(password, self.password_hash)
