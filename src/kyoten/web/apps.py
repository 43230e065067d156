from django.contrib.admin.apps import AdminConfig


class KyotenAdminConfig(AdminConfig):
    default_site = "kyoten.web.admin.ProgramOfficeAdminSite"
