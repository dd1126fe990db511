"""Uploaded and synthesized audio: decoding, loudness, alignment, transcription.

The entry point for uploads is :func:`avatar.audio.upload.prepare_uploaded_audio`.
Heavy libraries (pocketsphinx, faster-whisper) are imported inside functions.
"""
