"""The program office web application: the Django project (settings, URLs, WSGI, commands)."""
