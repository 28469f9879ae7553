"""Run the snapshot build: ``python -m snapshot_build`` (see `snapshot_build.build`)."""

import sys

from snapshot_build.build import main

sys.exit(main())
