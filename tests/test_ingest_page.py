"""The ingest & review and edit pages through Streamlit's AppTest; who may change data."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.auth import hash_password
from geo.store import open_store

REPO = Path(__file__).resolve().parents[1]
# Written for the tests (a made-up report, not from the seeds).
ARTICLE = (
    "Officials in Kandahar said a roadside bomb killed four border police officers near "
    "Spin Boldak on Tuesday. No group claimed the attack."
)
PASSWORD = "correct horse"


@pytest.fixture(autouse=True)
def _data(shared_settings, tmp_path, monkeypatch):
    if shared_settings.gazetteer_dir is None:
        pytest.skip("GEO_GAZETTEER_DIR is not set (CI sets it)")
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path / 'ingest.db'}")
    return tmp_path / "ingest.db"


def _page(name: str, password: bool = False) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / name), default_timeout=90)
    if password:
        at.secrets["geo_auth"] = {"password_hash": hash_password(PASSWORD, iterations=1000)}
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _extract(at: AppTest) -> AppTest:
    at.run()
    at.text_area(key="paste_text").input(ARTICLE)
    at.date_input(key="paste_published").set_value("2022-05-05")
    _button(at, "Extract incidents").click().run()
    assert not at.exception, at.exception
    return at


def test_paste_edit_and_save(_data):
    at = _extract(_page("ingest.py"))
    assert any("1 incident(s)" in s.value for s in at.subheader)
    at.session_state["review_table_0"] = {
        "edited_rows": {0: {"fatalities_best": 5, "notes": "checked by phone"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    _button(at, "Save to the store").click().run()
    assert not at.exception, at.exception
    assert any("Saved" in s.value for s in at.success)
    with open_store(f"sqlite:///{_data}") as db:
        saved = [
            i for i in (db.get(x) for x in db.query()["incident_id"]) if i.admin1 == "Kandahar"
        ]
        assert len(saved) == 1 and saved[0].fatalities_best == 5
        assert saved[0].notes == "checked by phone"
        assert db.history(saved[0].incident_id)[-1].user == "analyst"


def test_bad_upload_is_reported_and_nothing_saved(_data):
    at = _page("ingest.py").run()
    at.text_area(key="paste_text").input("   ")
    _button(at, "Extract incidents").click().run()
    assert not at.exception and at.error  # an empty article is refused with a reason


def test_reader_cannot_ingest_edit_or_delete_with_a_password_set():
    at = _page("ingest.py", password=True).run()
    assert not at.exception
    assert not [t for t in at.text_area if t.key == "paste_text"]
    assert any("Only signed-in editors" in i.value for i in at.info)
    edit = _page("edit.py", password=True).run()
    assert not edit.exception
    labels = {b.label for b in edit.button}
    assert "Save changes" not in labels and "Delete" not in labels
    assert edit.dataframe  # but the history is there to read


def test_signed_in_user_can_ingest_and_edit():
    at = _page("ingest.py", password=True).run()
    at.text_input(key="sign_in_password").input("wrong")
    _button(at, "Sign in").click().run()
    assert any("Wrong password" in e.value for e in at.error)
    at.text_input(key="sign_in_password").input(PASSWORD)
    _button(at, "Sign in").click().run()
    assert [t for t in at.text_area if t.key == "paste_text"]


def test_edit_and_undo_on_the_edit_page(_data):
    at = _page("edit.py")
    at.query_params["incident"] = "seed-2022-03-28-zaranj-raid"
    at.run()
    assert not at.exception, at.exception
    fields = {t.label: t for t in at.text_input}
    fields["Fatalities, best"].input("7")
    _button(at, "Save changes").click().run()
    assert any("Saved: fatalities_best" in s.value for s in at.success)
    with open_store(f"sqlite:///{_data}") as db:
        assert db.get("seed-2022-03-28-zaranj-raid").fatalities_best == 7
    undo = next(b for b in at.button if b.label.startswith("Undo the last edit"))
    undo.click().run()
    with open_store(f"sqlite:///{_data}") as db:
        assert db.get("seed-2022-03-28-zaranj-raid").fatalities_best is None
