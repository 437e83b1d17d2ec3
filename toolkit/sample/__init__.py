"""Generated sample reports with exact ground truth."""

from toolkit.sample.generator import STYLES, ReportStyle, ReportTruth, build_report  # noqa: F401
