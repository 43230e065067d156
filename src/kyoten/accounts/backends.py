"""The program office holds every permission, in the admin too, without being superusers."""

from django.contrib.auth.backends import ModelBackend

from kyoten.accounts.permissions import may


class ProgramOfficeBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return may(user_obj, "backoffice.use")

    def has_module_perms(self, user_obj, app_label):
        return may(user_obj, "backoffice.use")
