"""Start localstripe on 127.0.0.1 with empty state that is never written to disk.

Its own command line listens on every interface and loads and saves
/tmp/localstripe.pickle (shared by everyone on the machine), so the tests
start the server through this script instead: python run_localstripe.py PORT PARENT_PID
"""

import os
import signal
import sys
import threading
import time

import localstripe.resources
from aiohttp import web

localstripe.resources.Store.dump_to_disk = lambda self: None  # never touch /tmp


def exit_with_parent(parent: int) -> None:
    """Stop when the test run is gone, even if it was killed before its teardown."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # nothing to save: stop at once
threading.Thread(target=exit_with_parent, args=(int(sys.argv[2]),), daemon=True).start()

from localstripe.server import app  # noqa: E402

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, handle_signals=False)
