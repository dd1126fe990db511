"""Start localstripe on 127.0.0.1 with empty state that is never written to disk.

Its own command line listens on every interface and loads and saves
/tmp/localstripe.pickle (shared by everyone on the machine), so the tests
start the server through this script instead: python run_localstripe.py PORT
"""

import ctypes
import signal
import sys

import localstripe.resources
from aiohttp import web

localstripe.resources.Store.dump_to_disk = lambda self: None  # never touch /tmp

try:  # Linux: stop when the test run stops, even if it is killed before its teardown
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
except (OSError, AttributeError):
    pass

from localstripe.server import app  # noqa: E402

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
