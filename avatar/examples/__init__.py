"""Example RenderSpecs and their media.

- ``product-ad-9x16.json``: a 30-second 9:16 product ad (five scenes, every layout
  but split-screen landscape, price card, call to action, upbeat music, watermark).
- ``training-16x9.json``: a 60-second 16:9 training video (six scenes, subtitles,
  corporate music, logo in the corner).
- ``media/``: product shots, slides and a logo drawn by :mod:`make_media` (CC0).
- :mod:`contact_sheet`: a grid of frames of a rendered video, for looking at it.

Render one with ``python -m avatar render avatar/examples/product-ad-9x16.json --out ad.mp4``.
"""
