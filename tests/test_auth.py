"""Tests for geo/auth.py: hashing, modes from secrets, who may edit."""

from __future__ import annotations

import pytest

from geo._errors import SettingError
from geo.auth import AuthConfig, hash_password, verify_password


def test_hash_round_trip_and_salting():
    a, b = hash_password("s3cret"), hash_password("s3cret")
    assert a != b and a.startswith("pbkdf2_sha256$")
    assert verify_password("s3cret", a) and verify_password("s3cret", b)
    assert not verify_password("S3cret", a) and not verify_password("", a)


def test_empty_password_refused():
    with pytest.raises(ValueError, match="empty"):
        hash_password("")


@pytest.mark.parametrize(
    ("secrets", "mode"),
    [
        ({}, "open"),
        ({"geo_auth": {}}, "open"),
        ({"geo_auth": {"password_hash": hash_password("x", iterations=1000)}}, "password"),
        (
            {"auth": {"client_id": "c", "server_metadata_url": "https://id.example/.well-known"}},
            "oidc",
        ),
        ({"auth": {"client_id": "c"}}, "open"),  # incomplete OIDC config is not OIDC
    ],
)
def test_mode_from_secrets(secrets, mode):
    assert AuthConfig.from_secrets(secrets).mode == mode


def test_malformed_hash_is_an_error_not_an_open_app():
    with pytest.raises(SettingError, match="hash-password"):
        AuthConfig.from_secrets({"geo_auth": {"password_hash": "plaintext-password"}})


def test_secrets_object_that_raises_means_open():
    class NoSecrets(dict):
        def get(self, *args, **kwargs):
            raise FileNotFoundError("no secrets.toml")

    assert AuthConfig.from_secrets(NoSecrets()).mode == "open"


@pytest.mark.parametrize(
    ("config", "signed_in", "email", "allowed"),
    [
        (AuthConfig("open"), False, "", True),
        (AuthConfig("password", "h"), False, "", False),
        (AuthConfig("password", "h"), True, "", True),
        (AuthConfig("oidc"), True, "a@x.org", True),
        (AuthConfig("oidc", editors=("a@x.org",)), True, "A@x.org", True),
        (AuthConfig("oidc", editors=("a@x.org",)), True, "b@x.org", False),
        (AuthConfig("oidc"), False, "a@x.org", False),
    ],
)
def test_may_edit(config, signed_in, email, allowed):
    assert config.may_edit(signed_in=signed_in, email=email) is allowed


def test_check_password():
    config = AuthConfig.from_secrets(
        {"geo_auth": {"password_hash": hash_password("pw", iterations=1000)}}
    )
    assert config.check_password("pw") and not config.check_password("nope")
    assert not AuthConfig("open").check_password("pw")
