"""Annual progress reports in the web application: versions, states, dashboards.

The pure core is :mod:`kyoten.reports` (validation, indicators, verdicts, samples); this app
stores each validated upload as a new version of a center's report for a fiscal year, moves
reports through draft → submitted → accepted or returned, and shows the derived indicators.
"""
