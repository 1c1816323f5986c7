import sys

from generator.cli import main

if __name__ == "__main__":  # the PDF workers are spawned processes, which import this module again
    sys.exit(main())
