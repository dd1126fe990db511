"""A HeyGen-compatible API beside our own: agencies move by changing a base URL.

HeyGen's v1/v2 routes at HeyGen's paths (``/v2/video/generate``,
``/v1/video_status.get``...), translated onto the services our ``/api/v1`` uses, so
validation, credits, rate limits, idempotency and workspace isolation are the same
code. ``mapping`` turns HeyGen's fields into ours and back, ``envelopes`` gives
HeyGen's response and error shapes, ``views`` is transport only. Never imported by
``avatar`` or ``scraper``.
"""
