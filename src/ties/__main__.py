"""``python -m ties`` is the ``ties`` command."""

import sys

from ties.cli import main

sys.exit(main())
