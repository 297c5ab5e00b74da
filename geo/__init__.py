"""Incident mapping for armed violence in Afghanistan and its neighbours.

The library never imports streamlit; pages import only the names in ``__all__``.
"""

from geo._errors import (
    ArticleError,
    DataFileError,
    GeocodingError,
    GeoError,
    IncidentValidationError,
    InputRowError,
    ReportError,
    SettingError,
)
from geo.articles import article_from_bytes, article_from_text, fetch_article
from geo.auth import AuthConfig, hash_password
from geo.boundaries import assign, load_admin0, load_admin1, load_admin2, province_lookup
from geo.filters import (
    DATE_PRESETS,
    Filters,
    apply_filters,
    parse_query_params,
    preset_dates,
    search_text,
    to_query_params,
)
from geo.geocode import get_geocoder
from geo.incidents import (
    CLAIM_STATUSES,
    DATE_PRECISIONS,
    EVENT_TYPES,
    Evidence,
    Incident,
    Place,
    Source,
    incidents_to_frame,
    load_incidents,
    save_incidents,
    validate_incidents,
)
from geo.maps import (
    EVENT_COLORS,
    build_map,
    clicked_incident,
    clicked_province,
    detail_html,
    incident_detail,
    pin_map,
)
from geo.report import (
    ReportView,
    data_hash,
    read_manifest,
    render_html,
    render_pdf,
    render_png,
    write_report,
)
from geo.review import (
    EDITABLE_FIELDS,
    ReviewBatch,
    apply_candidate,
    apply_edits,
    apply_pin,
    prepare_review,
    save_review,
    undo_edit,
)
from geo.settings import Settings, get_settings
from geo.store import IngestSummary, Store, open_store
from geo.timeline import PLAYBACK_STEPS, step_window, weekly_counts

__version__ = "0.1.0"

__all__ = [
    "CLAIM_STATUSES",
    "DATE_PRECISIONS",
    "DATE_PRESETS",
    "EDITABLE_FIELDS",
    "EVENT_COLORS",
    "EVENT_TYPES",
    "PLAYBACK_STEPS",
    "ArticleError",
    "AuthConfig",
    "DataFileError",
    "Evidence",
    "Filters",
    "GeoError",
    "GeocodingError",
    "Incident",
    "IncidentValidationError",
    "IngestSummary",
    "InputRowError",
    "Place",
    "ReportError",
    "ReportView",
    "ReviewBatch",
    "SettingError",
    "Settings",
    "Source",
    "Store",
    "__version__",
    "apply_candidate",
    "apply_edits",
    "apply_filters",
    "apply_pin",
    "article_from_bytes",
    "article_from_text",
    "assign",
    "build_map",
    "clicked_incident",
    "clicked_province",
    "data_hash",
    "detail_html",
    "fetch_article",
    "get_geocoder",
    "get_settings",
    "hash_password",
    "incident_detail",
    "incidents_to_frame",
    "load_admin0",
    "load_admin1",
    "load_admin2",
    "load_incidents",
    "open_store",
    "parse_query_params",
    "pin_map",
    "prepare_review",
    "preset_dates",
    "province_lookup",
    "read_manifest",
    "render_html",
    "render_pdf",
    "render_png",
    "save_incidents",
    "save_review",
    "search_text",
    "step_window",
    "to_query_params",
    "undo_edit",
    "validate_incidents",
    "weekly_counts",
    "write_report",
]
