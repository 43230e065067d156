"""Annual progress reports: the model, Excel/CSV/JSON exchange, indicators and verdicts.

The functions a web app or notebook needs; see docs/reports.md.

>>> from kyoten.reports import sample_report, dump_report, load_report, indicators
>>> report = sample_report("DEMO", 2024, seed=1)
>>> load_report(dump_report(report, "xlsx"), "demo.xlsx") == report
True
>>> indicators(report).fiscal_year
2024
"""

from kyoten.reports.comparison import comparison_csv, comparison_rows, comparison_xlsx
from kyoten.reports.exchange import (
    csv_files,
    dump_report,
    load_report,
    load_report_file,
    report_json,
)
from kyoten.reports.indicators import Indicators, indicators, report_plan, report_verdict
from kyoten.reports.limits import ReportLimits
from kyoten.reports.model import AnnualReport, report_json_schema
from kyoten.reports.problems import ReportError, Where, error_records
from kyoten.reports.reading import report_from_data
from kyoten.reports.sample import sample_report
from kyoten.reports.xlsx import report_workbook, template_workbook

__all__ = [
    "AnnualReport",
    "Indicators",
    "ReportError",
    "ReportLimits",
    "Where",
    "comparison_csv",
    "comparison_rows",
    "comparison_xlsx",
    "csv_files",
    "dump_report",
    "error_records",
    "indicators",
    "load_report",
    "load_report_file",
    "report_from_data",
    "report_json",
    "report_json_schema",
    "report_plan",
    "report_verdict",
    "report_workbook",
    "sample_report",
    "template_workbook",
]
