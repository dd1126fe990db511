"""The translation actors: one per stage of a language, declared from the pipeline.

Queues: `default` (transcribe, translate, encode) and `tts` (the dub's speech).
"""

from saas.jobs.actors import declare

from .pipeline import LANGUAGE

STAGE_ACTORS = declare(LANGUAGE)
