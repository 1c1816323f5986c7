import sys

from generator.contrib.cli import main

sys.exit(main())
