"""Generated sample reports with exact ground truth (see :mod:`toolkit.sample.generator`)."""

from toolkit.sample.generator import STYLES, ReportStyle, ReportTruth, bind_reports, build_report
from toolkit.sample.styles import BASE_STYLES
from toolkit.sample.truth import NoteTruth, RunningLine

__all__ = ["BASE_STYLES", "STYLES", "NoteTruth", "ReportStyle", "ReportTruth", "RunningLine", "bind_reports",
           "build_report"]
