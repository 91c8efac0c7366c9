import logging
import sys

from fuzz.run import main

# A command line: libraries' warnings on hostile input (bs4's "Some characters could not be
# decoded") are what fuzzing expects, not news.
logging.basicConfig(level=logging.ERROR)
sys.exit(main())
