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
        "edited_rows": {
            0: {
                "fatalities_low": 5,
                "fatalities_best": 5,
                "fatalities_high": 5,
                "notes": "checked by phone",
                "actor2": "Border police",
            }
        },
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
        assert "Border police" in saved[0].actors
        assert any(e.field == "actor2" and e.text == "Border police" for e in saved[0].evidence)
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
    history = at.dataframe[-1].value
    assert list(history["changes (old → new)"])[-1] == "fatalities_best: (empty) → 7"
    undo = next(b for b in at.button if b.label.startswith("Undo #"))
    edit_id = undo.label.split("#")[1].split()[0]
    undo.click().run()
    with open_store(f"sqlite:///{_data}") as db:
        assert db.get("seed-2022-03-28-zaranj-raid").fatalities_best is None
    history = at.dataframe[-1].value
    assert list(history["of"])[-1] == f"undo of #{edit_id}"
    assert list(history["changes (old → new)"])[-1] == "fatalities_best: 7 → (empty)"
    assert not [b for b in at.button if b.label.startswith("Undo #")]  # the undo is not undone
    next(b for b in at.button if b.label.startswith("Redo #")).click().run()
    with open_store(f"sqlite:///{_data}") as db:
        assert db.get("seed-2022-03-28-zaranj-raid").fatalities_best == 7
        assert db.history("seed-2022-03-28-zaranj-raid")[-1].action == "redo"


# Written for the tests: nothing in it can be dated or placed by the extractor.
VAGUE = "Fighters attacked a checkpoint overnight; officials gave no further details."


def test_manual_incident_added_from_an_article_with_none(_data):
    at = _page("ingest.py").run()
    at.text_area(key="paste_text").input(VAGUE)
    _button(at, "Extract incidents").click().run()
    assert not at.exception, at.exception
    assert any("0 incident(s)" in s.value for s in at.subheader)
    at.date_input(key="man_0_date").set_value("2024-05-02")
    at.selectbox(key="man_0_type").set_value("Violence against civilians").run()
    at.selectbox(key="man_0_sub").set_value("Attack")
    at.text_input(key="man_0_actor1").input("Unit A")
    at.text_input(key="man_0_assoc1").input("Militia B; Militia C")
    at.text_input(key="man_0_actor2").input("Civilians")
    at.text_input(key="man_0_killed").input("3")
    at.text_input(key="man_0_wounded").input("11")
    at.text_input(key="man_0_place").input("Taloqan").run()
    cand = next(s for s in at.selectbox if s.label == "Place candidates")
    assert "Takhar" in cand.format_func(cand.value)  # the best candidate is preselected
    _button(at, "Add this incident").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert any("1 incident(s)" in s.value for s in at.subheader)
    _button(at, "Save to the store").click().run()
    assert any("Saved" in s.value for s in at.success)
    with open_store(f"sqlite:///{_data}") as db:
        frame = db.query()
        ident = next(i for i in frame["incident_id"] if i.startswith("manual:"))
        inc = db.get(ident)
    assert (inc.event_date.isoformat(), inc.admin1_iso) == ("2024-05-02", "AF-TAK")
    assert (inc.fatalities_best, inc.wounded, inc.sub_event_type) == (3, 11, "Attack")
    assert inc.actors == ["Unit A", "Civilians", "Militia B", "Militia C"]


def test_manual_incident_without_a_place_is_refused(_data):
    at = _page("ingest.py").run()
    at.text_area(key="paste_text").input(VAGUE)
    _button(at, "Extract incidents").click().run()
    at.date_input(key="man_0_date").set_value("2024-05-02")
    _button(at, "Add this incident").click().run()
    assert any("no place" in e.value for e in at.error)


def test_import_a_plain_table_with_a_column_mapping(_data, tmp_path):
    at = _page("ingest.py").run()
    assert not at.exception
    at.radio(key="table_kind").set_value("Other CSV (choose the columns)").run()
    # AppTest cannot upload; the mapping step and the import run as the page would
    from geo.importers import read_table

    path = tmp_path / "mine.csv"
    path.write_text("Day,Town,Y,X\n2024-01-05,Taloqan,36.736,69.535\n", encoding="utf-8")
    mapping = {"date": "Day", "place": "Town", "latitude": "Y", "longitude": "X"}
    report = read_table("csv", path, mapping=mapping)
    assert report.incidents[0].admin1_iso == "AF-TAK"


def test_actor_roles_on_the_edit_page(_data):
    at = _page("edit.py")
    at.query_params["incident"] = "seed-2022-03-28-zaranj-raid"
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Actor 1 (perpetrator)"].input("Unit Z")
    fields["Associated with actor 1 (; between)"].input("Militia Q")
    _button(at, "Save changes").click().run()
    assert not at.exception and any("Saved: actors, evidence" in s.value for s in at.success)
    with open_store(f"sqlite:///{_data}") as db:
        inc = db.get("seed-2022-03-28-zaranj-raid")
    assert inc.actors[:2] == ["Unit Z", "Militia Q"]
    change = list(at.dataframe[-1].value["changes (old → new)"])[-1]
    assert "actor1: Unit Z" in change and "→" in change
