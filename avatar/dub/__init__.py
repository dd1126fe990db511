"""Translating and dubbing a customer's own video: the library side.

- ``probe``: is this upload a video we can dub (decoded with PyAV, not trusted
  by its name)?
- ``transcribe``: speech to timed segments in 99 languages (Whisper base
  multilingual, shipped in two PyPI wheels, run by faster-whisper), with the
  language detected when the customer does not say.
- ``subtitles``: transcripts to and from SRT/VTT (pysubs2).
- ``translate``: segment-by-segment translation behind one interface: offline
  engines that ship in packages, an optional OpenAI-compatible provider, and
  the customer's own text.
- ``dub``: the new voice fitted to the original timing and mixed over the
  original sound, ducked; ``mux`` puts it under the original picture.
- ``burn``: the translated captions painted into the picture.

Lip-sync over the video itself is avatar.lipsync.video.
"""
