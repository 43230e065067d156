"""WSGI entry point, served by gunicorn in ``make run``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoten.web.settings")
application = get_wsgi_application()
