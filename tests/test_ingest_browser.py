"""Ingest in the real browser: upload a file, fix its place, save, find it on the map."""

from __future__ import annotations

import re

import pytest

from tests.browser import chromium_page, require_chromium, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# Written for the tests: a made-up report.
ARTICLE = (
    "Local officials in Takhar province said gunmen attacked a police checkpoint in "
    "Khwaja Ghar district on Monday, 6 March 2023, killing two officers.\n"
)


def test_upload_fix_place_save_and_find_on_map(shared_settings, tmp_path, output_dir):
    require_chromium()
    if shared_settings.gazetteer_dir is None:
        pytest.skip("GEO_GAZETTEER_DIR is not set (CI sets it)")
    article = tmp_path / "checkpoint-attack.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "incidents.db"
    with streamlit_server({"GEO_DATABASE_URL": f"sqlite:///{db}"}) as url, chromium_page() as page:
        page.goto(f"{url}/ingest")  # a deep link as the server's very first visit
        nav = page.locator("[data-testid='stSidebarNav']")
        nav.get_by_text("Ingest & review").wait_for(timeout=60_000)
        assert "common" not in nav.inner_text()  # app.py's navigation, not the folder
        page.get_by_role("tab", name="Upload files").click()
        page.locator("input[type=file][accept*='.txt']").set_input_files(str(article))
        page.get_by_role("button", name="Extract from files").click()
        page.get_by_text(re.compile(r"checkpoint-attack\.txt: 1 incident")).wait_for(timeout=90_000)
        page.get_by_text("Khwaja Ghar district").first.wait_for()  # the article, highlighted

        page.get_by_role("combobox", name=re.compile("Candidates from the gazetteer")).click()
        page.get_by_role("option", name=re.compile(r", Ghor, AF \(")).first.click()
        page.get_by_role("button", name="Use this place").click()
        page.wait_for_timeout(1500)
        page.screenshot(path=output_dir / "ingest-review.png", full_page=True)
        page.get_by_role("button", name="Save to the store").click()
        page.get_by_text(re.compile(r"^Saved\.")).wait_for(timeout=30_000)

        page.goto(f"{url}/?province=Ghor")
        page.get_by_text(re.compile(r"^1 incident$")).first.wait_for(timeout=60_000)
        page.get_by_role("combobox", name=re.compile("Incident detail")).click()
        options = [o for o in page.get_by_role("option").all_inner_texts() if "·" in o]
        page.keyboard.press("Escape")
        assert len(options) == 1 and "2023-03-06" in options[0], options
        page.screenshot(path=output_dir / "ingest-on-map.png", full_page=True)


# Written for the tests: nothing in it can be dated or placed by the extractor.
VAGUE = "Fighters attacked a checkpoint overnight; officials gave no further details."


def test_add_an_incident_by_hand_in_the_browser(shared_settings, tmp_path, output_dir):
    require_chromium()
    if shared_settings.gazetteer_dir is None:
        pytest.skip("GEO_GAZETTEER_DIR is not set (CI sets it)")
    from playwright.sync_api import expect

    from geo.store import open_store

    db = tmp_path / "manual.db"
    with streamlit_server({"GEO_DATABASE_URL": f"sqlite:///{db}"}) as url, chromium_page() as page:
        page.goto(f"{url}/ingest")
        page.get_by_label("Article text").fill(VAGUE)
        page.get_by_role("button", name="Extract incidents").click()
        page.get_by_text(re.compile(r"pasted text: 0 incident")).wait_for(timeout=90_000)
        for part, value in (("year", "2024"), ("month", "05"), ("day", "02")):
            page.get_by_role("spinbutton", name=f"{part}, Date of the event").click()
            page.keyboard.type(value)
        page.keyboard.press("Tab")
        page.get_by_label("Actor 1 (perpetrator)").fill("Unit A")
        page.get_by_label("Associated with actor 1 (; between)").fill("Militia B")
        page.get_by_label("Actor 2 (target)").fill("Civilians")
        page.get_by_label("Killed").fill("2")
        page.get_by_label("Wounded").fill("6")
        place = page.get_by_label("Place (search the gazetteer)")
        place.fill("Taloqan")
        place.press("Enter")
        candidates = page.get_by_role("combobox", name=re.compile("Place candidates"))
        expect(candidates).to_have_value(re.compile(r"Taloqan — .*Takhar, AF"), timeout=60_000)
        page.wait_for_timeout(1000)  # let the last widget values reach the server
        page.get_by_role("button", name="Add this incident").click()
        page.get_by_text(re.compile(r"pasted text: 1 incident")).wait_for(timeout=60_000)
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=output_dir / "ingest-manual-entry.png", full_page=True)
        page.get_by_role("button", name="Save to the store").click()
        page.get_by_text(re.compile(r"^Saved\. new 1")).wait_for(timeout=30_000)
    with open_store(f"sqlite:///{db}") as store:
        ident = next(i for i in store.query()["incident_id"] if i.startswith("manual:"))
        inc = store.get(ident)
    assert (inc.event_date.isoformat(), inc.admin1_iso) == ("2024-05-02", "AF-TAK")
    assert (inc.fatalities_best, inc.wounded) == (2, 6)
    assert inc.actors == ["Unit A", "Civilians", "Militia B"]
