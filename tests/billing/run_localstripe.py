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

# Stripe's API takes proration_behavior on a subscription update (its old `prorate` is
# gone); localstripe only knows `prorate`. Map one to the other, as Stripe means it.
_update = localstripe.resources.Subscription._update


def _update_with_proration_behavior(self, *args, proration_behavior=None, **kwargs):
    if proration_behavior is not None:
        if proration_behavior not in ("create_prorations", "none", "always_invoice"):
            raise localstripe.resources.UserError(400, "Bad request")
        kwargs["prorate"] = proration_behavior != "none"
    return _update(self, *args, **kwargs)


localstripe.resources.Subscription._update = _update_with_proration_behavior


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
