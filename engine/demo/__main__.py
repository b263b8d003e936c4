import sys

from engine.demo.cli import main

sys.exit(main())
