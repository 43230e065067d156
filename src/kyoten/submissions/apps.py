from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "kyoten.submissions"
    verbose_name = _("Annual reports")

    def ready(self) -> None:
        from kyoten.reports import ReportLimits

        ReportLimits.from_env()  # a bad KYOTEN_REPORT_* value stops the start, naming it
