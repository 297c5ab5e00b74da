"""Signing in before changing data (see geo.auth for the three modes).

Readers always browse. Ingest, edit and delete call :func:`require_editor`, which
shows the sign-in (shared password or the OIDC provider's login) when the app's
secrets restrict editing, and returns whether this session may go on.
"""

from __future__ import annotations

import time

import streamlit as st

from geo import AuthConfig, GeoError

_SIGNED_IN = "_auth_signed_in"


def auth_config() -> AuthConfig:
    """The access mode from ``.streamlit/secrets.toml`` (open when there is none)."""
    try:
        return AuthConfig.from_secrets(st.secrets)
    except GeoError as exc:
        st.error(f"Editing is locked: the sign-in settings are wrong ({exc}).")
        return AuthConfig("password", password_hash="pbkdf2_sha256$1$AA$AA")


def _oidc_user() -> tuple[bool, str]:
    try:
        user = st.user
        return bool(user.get("is_logged_in")), str(user.get("email") or "")
    except Exception:  # no OIDC configuration in this app
        return False, ""


def signed_in(config: AuthConfig) -> tuple[bool, str]:
    """(signed in?, e-mail) for this session."""
    if config.mode == "oidc":
        return _oidc_user()
    return bool(st.session_state.get(_SIGNED_IN)), ""


def current_user() -> str:
    """The name recorded in the history for this session's changes."""
    config = auth_config()
    _, email = signed_in(config)
    return email or str(st.session_state.get("user_name") or "analyst")


def _password_form(config: AuthConfig, action: str) -> None:
    with st.form("sign_in", clear_on_submit=True):
        st.write(f"Sign in to {action}.")
        password = st.text_input("Password", type="password", key="sign_in_password")
        if st.form_submit_button("Sign in"):
            if config.check_password(password):
                st.session_state[_SIGNED_IN] = True
                st.rerun()
            time.sleep(1.0)  # slows down guessing
            st.error("Wrong password.")


def require_editor(action: str) -> bool:
    """True when this session may ``action`` (ingest, edit, delete); else shows sign-in."""
    config = auth_config()
    ok, email = signed_in(config)
    if config.may_edit(signed_in=ok, email=email):
        if config.mode != "oidc":
            st.sidebar.text_input("Your name (for the history)", key="user_name", value="analyst")
        if ok and config.mode == "password" and st.sidebar.button("Sign out", key="sign_out"):
            st.session_state[_SIGNED_IN] = False
            st.rerun()
        return True
    st.info(f"Only signed-in editors may {action}; everyone can browse the map and tables.")
    if config.mode == "password":
        _password_form(config, action)
    elif not ok:
        st.button("Sign in with your organisation's account", on_click=st.login, key="oidc_login")
    else:
        st.warning(f"{email} is not on the list of editors.")
    return False
