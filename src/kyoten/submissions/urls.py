"""URLs of the annual reports (included by kyoten.web.urls)."""

from django.urls import path, re_path

from kyoten.submissions import views

urlpatterns = [
    path("centers/<slug:key>/reports/", views.center_reports, name="center-reports"),
    path("centers/<slug:key>/reports/template/", views.report_template, name="report-template"),
    path("centers/<slug:key>/reports/upload/", views.report_upload, name="report-upload"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    re_path(
        r"^reports/(?P<pk>[0-9]+)/(?P<action>submit|accept|return)/$",
        views.report_action,
        name="report-action",
    ),
    re_path(
        r"^reports/(?P<pk>[0-9]+)/versions/(?P<number>[0-9]+)\.(?P<fmt>json|zip|xlsx)$",
        views.version_download,
        name="report-version",
    ),
    path(
        "api/centers/<slug:key>/reports/<int:fiscal_year>/",
        views.api_upload,
        name="api-report-upload",
    ),
    path("reports/compare/", views.comparison_page, name="reports-compare"),
    re_path(
        r"^reports/compare\.(?P<fmt>csv|xlsx)$",
        views.comparison_export,
        name="report-comparison",
    ),
    # the narrative and the appendices; the whole report as a PDF
    path("centers/<slug:key>/reports/narrative/", views.report_narrative, name="report-narrative"),
    path(
        "centers/<slug:key>/reports/appendices/",
        views.appendix_upload,
        name="report-appendix-upload",
    ),
    path(
        "reports/<int:pk>/appendices/<int:appendix>/",
        views.appendix_download,
        name="report-appendix",
    ),
    path(
        "reports/<int:pk>/appendices/<int:appendix>/remove/",
        views.appendix_remove,
        name="report-appendix-remove",
    ),
    re_path(
        r"^reports/(?P<pk>[0-9]+)/versions/(?P<number>[0-9]+)\.(?P<lang>ja|en)\.pdf$",
        views.version_pdf,
        name="report-pdf",
    ),
    # the program office's inbox and the due dates
    path("reports/inbox/", views.inbox, name="report-inbox"),
    path("reports/deadlines/", views.deadlines, name="report-deadlines"),
]
