"""``python -m kyoten`` runs the ``kyoten`` command."""

import sys

from kyoten.cli import main

sys.exit(main())
