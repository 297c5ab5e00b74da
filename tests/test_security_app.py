"""Hostile text in the running app (real browser): map, detail panel, table, edit page.

An incident whose title-like fields carry HTML and JavaScript is stored; the app is
opened, the incident's detail and edit pages are shown, and the test checks that no
script ran (in the page or the map's iframe), no dialog opened, and the text is visible
as typed.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from geo.incidents import Incident, Place, Source
from geo.store import open_store
from tests.browser import chromium_page, require_chromium, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAYLOAD = '<img src=x onerror="window.__xss=1">'
SCRIPT = "</script><script>window.__xss=2</script>"


def _hostile() -> Incident:
    return Incident(
        incident_id="hostile-1",
        event_date=date(2022, 6, 1),
        location_name=f"Kabul {PAYLOAD}",
        lat=34.52,
        lon=69.15,
        country_iso2="AF",
        admin1="Kabul",
        admin1_iso="AF-KAB",
        actors=[f"Group {SCRIPT}"],
        notes=f"note {PAYLOAD} {{{{ 7*7 }}}}",
        claim_status="claimed",
        claimed_by=[SCRIPT],
        origin=Place(PAYLOAD, 34.52, 69.15, "AF"),
        target=Place("Panj", 37.2, 69.1, "TJ"),
        sources=[Source("s-x", publisher=PAYLOAD, url="javascript:window.__xss=3", title=SCRIPT)],
    )


def _executed(page) -> int:
    values = []
    for frame in page.frames:
        try:
            values.append(frame.evaluate("() => window.__xss || 0"))
        except Exception:  # a frame that went away
            continue
    return sum(values)


def test_hostile_incident_is_shown_as_text(shared_settings, tmp_path, output_dir):
    require_chromium()
    db = f"sqlite:///{tmp_path / 'hostile.db'}"
    with open_store(db) as store:
        store.upsert_incidents([_hostile()], user="test")
    dialogs: list[str] = []
    with streamlit_server({"GEO_DATABASE_URL": db}) as url, chromium_page() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{url}/?q=note")
        page.get_by_text(re.compile(r"^1 incident$")).first.wait_for()
        page.get_by_role("combobox", name=re.compile("Incident detail")).click()
        page.get_by_role("option", name=re.compile("Kabul")).first.click()
        detail = page.locator(".incident-detail").first
        detail.wait_for()
        text = detail.inner_text()
        assert "<img src=x" in text and "</script><script>" in text
        assert not detail.locator("a[href^='javascript']").count()
        page.wait_for_timeout(1500)
        page.screenshot(path=output_dir / "hostile-detail.png", full_page=True)
        page.goto(f"{url}/edit?incident=hostile-1")
        page.get_by_text("History").first.wait_for()
        page.wait_for_timeout(1000)
        assert _executed(page) == 0 and dialogs == []
