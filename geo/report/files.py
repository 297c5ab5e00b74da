"""Writing a report to a file: the format from the name, the folder checked first."""

from __future__ import annotations

from pathlib import Path

from geo._errors import DataFileError, ReportError
from geo.report.html import render_html
from geo.report.pdf import render_pdf
from geo.report.png import render_png
from geo.report.view import FORMATS, ReportView

__all__ = ["write_report"]


def _format_of(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    chosen = "html" if chosen == "htm" else chosen
    if chosen not in FORMATS:
        raise ReportError(
            f"cannot tell the report format of {str(path)!r}: expected a name ending in "
            ".png, .pdf or .html (or give the format)"
        )
    return chosen


def _check_writable(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not a file", "Give a file name such as map.png")
    if not parent.is_dir():
        raise DataFileError(path, f"cannot write the report: folder {str(parent)!r} does not exist")


def _render(view: ReportView, kind: str, engine: str) -> bytes:
    if kind == "png":
        return render_png(view, engine)
    if kind == "pdf":
        return render_pdf(view, engine)
    return render_html(view).encode("utf-8")


def write_report(
    view: ReportView, path: str | Path, fmt: str | None = None, engine: str = "auto"
) -> Path:
    """Render ``view`` to ``path`` as PNG, PDF or HTML (format from the suffix by default).

    Raises
    ------
    ReportError
        Unknown format or engine, or a bad extent.
    DataFileError
        The file cannot be written (missing folder, no permission, a folder's name).
    """
    target = Path(path)
    kind = _format_of(target, fmt)
    _check_writable(target)
    data = _render(view, kind, engine)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise DataFileError(target, f"cannot write the report: {exc.strerror or exc}") from None
    return target
