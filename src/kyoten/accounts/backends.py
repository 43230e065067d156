"""The program office holds every permission, in the admin too, without being superusers."""

from django.contrib.auth.backends import ModelBackend

from kyoten.accounts.roles import is_program_office


class ProgramOfficeBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and is_program_office(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and is_program_office(user_obj)
