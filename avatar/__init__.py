"""Talking-avatar rendering library: script in, MP4 out.

Pure Python with typed dataclass inputs. It never imports Django, and
importing it (or :mod:`avatar.pipeline`) does not import torch. See
:func:`avatar.pipeline.render_talking_video`.
"""
