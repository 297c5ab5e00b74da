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
from geo.boundaries import assign, load_admin0, load_admin1, load_admin2, province_lookup
from geo.filters import Filters, apply_filters, parse_query_params, to_query_params
from geo.incidents import (
    CLAIM_STATUSES,
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
from geo.maps import EVENT_COLORS, build_map
from geo.report import (
    ReportView,
    data_hash,
    read_manifest,
    render_html,
    render_pdf,
    render_png,
    write_report,
)
from geo.settings import Settings, get_settings
from geo.store import IngestSummary, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "CLAIM_STATUSES",
    "EVENT_COLORS",
    "EVENT_TYPES",
    "ArticleError",
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
    "SettingError",
    "Settings",
    "Source",
    "Store",
    "__version__",
    "apply_filters",
    "assign",
    "build_map",
    "data_hash",
    "get_settings",
    "incidents_to_frame",
    "load_admin0",
    "load_admin1",
    "load_admin2",
    "load_incidents",
    "open_store",
    "parse_query_params",
    "province_lookup",
    "read_manifest",
    "render_html",
    "render_pdf",
    "render_png",
    "save_incidents",
    "to_query_params",
    "validate_incidents",
    "write_report",
]
