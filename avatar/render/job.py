"""One render: the steps of :func:`avatar.render.render`, holding their state."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from avatar import captions as cap
from avatar.compose import canvas_size, layouts
from avatar.compose import scene as scenes
from avatar.compose.overlays import ink_on
from avatar.errors import AvatarError, InvalidInput
from avatar.render import (
    POSTER_QUALITY,
    Clock,
    RenderOptions,
    RenderResult,
    local_files,
    poster_rgb,
    renamed,
)
from avatar.render import assets as assetmod
from avatar.render.timeline import (
    CaptionTrack,
    FrameLoop,
    LazyStage,
    Segment,
    frames_for,
    lay_out,
)
from avatar.spec import RenderSpec, hex_rgba

POSTER_AT_S = 1.6  # into the first scene: titles have landed, the presenter is talking
# A presenter's frames have at least this many pixels per pixel on screen, so that its
# final scaling is a reduction (sharp) and not a 1:1 resampling (soft).
PRESENTER_OVERSAMPLE = 1.25


@dataclass
class Spoken:
    """A scene's speech track, the text it came from and its language."""

    result: object  # SpeechResult
    script: str | None
    language: str | None


class Job:
    """Renders one spec; see :func:`avatar.render.render`."""

    def __init__(self, spec: RenderSpec, out: Path, options: RenderOptions, work: Path) -> None:
        self.spec = spec
        self.out = out
        self.options = options
        self.work = work
        self.clock = Clock()
        self.resolve = options.resolver or local_files(options.base_dir)
        self.size = canvas_size(spec.output.aspect, spec.output.resolution)
        self.fps = spec.output.fps
        self.closers: list = []
        self._images: dict = {}
        self.brand = spec.brand  # with font references resolved, once checked
        self.lipsync_timer = _Counter()
        self.build_timer = _Counter()  # scene stages built inside the frame loop
        self.reused_frames = 0

    # ------------------------------------------------------------------ steps

    def run(self) -> RenderResult:
        with self.clock.stage("assets"):
            self.brand = assetmod.check(self.spec, self.resolve)
        with self.clock.stage("speech"):
            speech = self._speak_all()
        segments = self._timeline(speech)
        chunked = self.options.chunk_cache is not None and self.options.sync_marker_s is None
        # The soundtrack is mixed (numpy and scipy, mostly outside the GIL) while the
        # layers are prepared: on 2 cores that takes about a second off the wall time.
        # Chunked, the frames do not wait for it either: the mix then starts the AAC
        # encode, and the frame loop fails as soon as the mix has failed.
        audio = None
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                audio = pool.submit(self._soundtrack, segments, speech, chunked)
                try:
                    loop, file_cues, burned = self._prepare(segments, speech)
                    if chunked:
                        self._encode_in_chunks(loop, audio, segments, speech)
                    else:
                        self._encode(loop, audio.result().wav)
                finally:
                    for source in self.closers:
                        source.close()
        finally:
            if audio is not None and audio.done() and audio.exception() is None:
                audio.result().stop()
        files = self._write_files(loop, file_cues)
        return self._result(segments, loop, files, (file_cues, burned), audio.result().levels)

    def _result(self, segments, loop, files, cues, levels) -> RenderResult:
        return RenderResult(
            video=self.out,
            poster=files["poster"],
            srt=files["srt"],
            vtt=files["vtt"],
            duration_s=loop.total / self.fps,
            width=self.size[0],
            height=self.size[1],
            fps=self.fps,
            frame_count=loop.total,
            scene_starts=tuple(s.start / self.fps for s in segments if s.kind == "scene"),
            cues=tuple(cues[0]),
            burned_cues=tuple(cues[1]),
            loudness_lufs=levels["lufs"],
            peak_dbfs=levels["peak_dbfs"],
            stage_seconds=self.clock.total(),
            reused_frames=self.reused_frames,
        )

    def _speak_all(self) -> list[Spoken]:
        """Every scene's speech, two scenes at a time where the voices allow it: a voice
        engine runs on one core (one ONNX thread), so the other core would idle."""
        from avatar import voices

        scenes = list(enumerate(self.spec.scenes))
        threads = voices.speech_threads(
            s.speech.voice if s.speech.script is not None else None for _, s in scenes
        )
        return voices.longest_first(scenes, lambda item: len(item[1].speech.script or ""),
                                    lambda item: self._speak(*item), threads)  # fmt: skip

    def _speak(self, index: int, scene) -> Spoken:
        speech = scene.speech
        wav = self.work / f"scene{index}.wav"
        try:
            if speech.script is not None:
                return self._synthesize(speech, wav)
            return self._upload(index, speech, wav)
        except AvatarError as exc:
            raise renamed(exc, f"scenes[{index}].speech") from exc

    def _synthesize(self, speech, wav: Path) -> Spoken:
        from avatar import voices

        result = voices.synthesize(
            speech.script, speech.voice, wav, rate=speech.rate, pitch=speech.pitch,
            cache=self.options.speech_cache, glossary=self.options.glossary,
        )  # fmt: skip
        return Spoken(result, speech.script, voices.get_voice(speech.voice).language)

    def _upload(self, index: int, speech, wav: Path) -> Spoken:
        from avatar.audio.upload import prepare_uploaded_audio
        from avatar.voices.base import SpeechResult

        src = self.resolve(speech.audio, f"scenes[{index}].speech.audio")
        prepared = prepare_uploaded_audio(src, wav, speech.transcript, speech.language)
        result = SpeechResult(
            prepared.wav, prepared.sample_rate, prepared.duration_s, prepared.words,
            prepared.phonemes, prepared.words, prepared.timing_source,
        )  # fmt: skip
        return Spoken(result, prepared.transcript or None, speech.language)

    def _timeline(self, speech: list[Spoken]) -> list[Segment]:
        spec, rows = self.spec, []
        if spec.intro is not None:
            rows.append(("intro", -1, frames_for(spec.intro.duration_s, self.fps), None))
        for i, (scene, spoken) in enumerate(zip(spec.scenes, speech, strict=True)):
            count = frames_for(spoken.result.duration_s + scene.hold_s, self.fps)
            transition = (scene.transition or spec.transition) if rows else None
            rows.append(("scene", i, count, transition))
        if spec.outro is not None:
            rows.append(("outro", -1, frames_for(spec.outro.duration_s, self.fps), spec.transition))
        return lay_out(rows)

    def _soundtrack(self, segments: list[Segment], speech: list[Spoken], aac: bool) -> _Soundtrack:
        """The mixed soundtrack; AAC: with its AAC encode started (it runs beside the
        frames, in its own ffmpeg)."""
        from avatar import encode

        with self.clock.stage("audio"):
            wav, levels = self._mix(segments, speech)
        if not aac:
            return _Soundtrack(wav, levels)
        return _Soundtrack(wav, levels, encode.AudioEncode(wav, self.work / "audio.m4a",
                                                           self._settings()))  # fmt: skip

    def _mix(self, segments: list[Segment], speech: list[Spoken]) -> tuple[Path, dict]:
        from avatar.music import mix as mixmod

        placements = [
            mixmod.Placement(speech[s.index].result.wav, s.start / self.fps)
            for s in segments
            if s.kind == "scene"
        ]
        path = self.work / "mix.wav"
        levels = mixmod.mix_to_wav(
            placements, segments[-1].end / self.fps, self._music(), self._mix_settings(), path,
            click_at_s=self._marker_s(),
        )  # fmt: skip
        return path, levels

    def _marker_s(self) -> float | None:
        marker = self.options.sync_marker_s
        return None if marker is None else round(marker * self.fps) / self.fps

    def _mix_settings(self):
        from avatar.music.mix import MixSettings

        music, audio = self.spec.music, self.spec.audio
        base = MixSettings(loudness_lufs=audio.loudness_lufs, peak_dbfs=audio.peak_dbfs)
        if music is None:
            return base
        return MixSettings(
            music.volume_db, music.duck_db, music.fade_in_s, music.fade_out_s,
            audio.loudness_lufs, audio.peak_dbfs,
        )  # fmt: skip

    def _music(self) -> np.ndarray | None:
        from avatar import music as musicmod
        from avatar.music.master import normalize
        from avatar.music.mix import MUSIC_FILE_LUFS

        spec = self.spec.music
        if spec is None:
            return None
        if spec.track is not None:
            return musicmod.load_music(musicmod.track_path(spec.track, self.options.music_cache))
        try:
            upload = musicmod.load_music(self.resolve(spec.src, "music.src"))
        except InvalidInput as exc:
            raise InvalidInput("music.src", exc.message, exc.code) from exc
        return normalize(upload, musicmod.SAMPLE_RATE, MUSIC_FILE_LUFS, -1.0)

    # ------------------------------------------------------------------ pictures

    def _prepare(self, segments: list[Segment], speech: list[Spoken]):
        """The frame loop, with each scene's stage built when the loop first reaches it and
        dropped once the loop has passed it (a 30-scene video holds two or three scenes'
        layers, lip-sync renderers and media at a time, not thirty). The first scene is
        built here, so that a scene that cannot be built fails before encoding starts."""
        geometries, first = {}, True
        for seg in segments:
            if seg.kind == "scene":
                g = geometries[seg.index] = self._geometry(seg.index)
                spoken = speech[seg.index]
                # (With a chunk cache the first scene's frames may not be needed at all.)
                eager = first and self.options.chunk_cache is None
                built = self._scene_stage(seg, spoken, g) if eager else None
                build = functools.partial(self._scene_stage_in_loop, seg, spoken, g)
                seg.stage, first = LazyStage(build, built), False
            else:
                with self.clock.stage("prepare"):
                    seg.stage = self._card_stage(seg.kind)
        with self.clock.stage("prepare"):
            file_cues, track = self._captions(segments, speech, geometries)
            loop = FrameLoop(
                segments, self.fps, self.size, track, assetmod.decors(self),
                self._marker_frame(), self._poster_frame(segments),
            )  # fmt: skip
        return loop, file_cues, (track.cues if track else [])

    def _geometry(self, index: int):
        scene = self.spec.scenes[index]
        return layouts.geometry(scene.layout, *self.size, scene.presenter_side,
                                bool(scene.overlays))  # fmt: skip

    def _scene_stage_in_loop(self, seg: Segment, spoken: Spoken, g):
        """:meth:`_scene_stage` called by the frame loop: its time is kept apart from the
        loop's compositing time (it is counted as lip-sync and prepare)."""
        started = time.perf_counter()
        try:
            return self._scene_stage(seg, spoken, g)
        finally:
            self.build_timer.add(time.perf_counter() - started)

    def _scene_stage(self, seg: Segment, spoken: Spoken, g):
        scene = self.spec.scenes[seg.index]
        track = image = None
        if scene.layout != "voiceover" and self._is_footage(seg.index, scene.avatar):
            with self.clock.stage("lipsync"):
                track, image = self._footage_track(seg.index, scene.avatar, spoken)
        elif scene.layout != "voiceover":
            image = self._presenter_image(seg.index, scene.avatar)
            with self.clock.stage("lipsync"):
                from avatar import lipsync

                # The compositor uses each frame before it reads the next; a layout that
                # shows the presenter small (a corner circle) is rendered small.
                scale, avatar = 1.0, lipsync.prepared_for(image)
                if avatar is not None:
                    scale = scenes.presenter_detail(scene, g, avatar) * PRESENTER_OVERSAMPLE
                track = lipsync.animate(
                    image, spoken.result, self.fps, prepared=avatar, reuse_frames=True,
                    scale=scale,
                )  # fmt: skip
        with self.clock.stage("prepare"):
            inputs = scenes.SceneInputs(
                seg.index, scene, g, self.fps, seg.count / self.fps, track, image,
                self.brand, self._language(spoken), self.open_image, self.resolve,
                self.closers, self.lipsync_timer,
            )  # fmt: skip
            return scenes.build(inputs)

    def _card_stage(self, kind: str):
        from avatar.compose.cards import card_stage

        card = self.spec.intro if kind == "intro" else self.spec.outro
        logo = self.open_rgba(self.spec.brand.logo, "brand.logo") if self.spec.brand.logo else None
        return card_stage(card, self.brand, logo, self.size, self.fps)

    def _is_footage(self, index: int, ref: str) -> bool:
        """Is the presenter a video avatar (a recording of the person) rather than a photo?"""
        from avatar import presenters

        if ref in presenters.STOCK:
            return False
        path = Path(self.resolve(ref, f"scenes[{index}].avatar"))
        return path.suffix.lower() in presenters.FOOTAGE_SUFFIXES

    def _footage_track(self, index: int, ref: str, spoken: Spoken):
        """A video avatar: its recording's loop, the mouth following this scene's speech."""
        from avatar import lipsync
        from avatar.lipsync import video

        path = self.resolve(ref, f"scenes[{index}].avatar")
        if ("footage", path) not in self._images:
            try:
                self._images[("footage", path)] = video.base_stretch(Path(path))
            except AvatarError as exc:
                raise InvalidInput(f"scenes[{index}].avatar", exc.message, exc.code) from exc
        footage = self._images[("footage", path)]
        count = lipsync.frame_count_for(spoken.result.duration_s, self.fps)
        visemes = lipsync.viseme_track(spoken.result, count, self.fps)
        width, height = footage.size
        key = footage.points[footage.key][:, :2]
        x0, y0 = np.floor(key.min(0)).astype(int)
        x1, y1 = np.ceil(key.max(0)).astype(int)
        frames = video.animate_footage(footage, visemes, count, fps=self.fps)
        box = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
        track = lipsync.FrameTrack(frames, count, self.fps, width, height, box, None)
        return track, footage.frames[footage.key]

    def _presenter_image(self, index: int, ref: str) -> np.ndarray:
        from avatar import presenters

        field = f"scenes[{index}].avatar"
        # A stock photo (faces 350 px wide and more at 1000 px) is used at the video's
        # short side: no layout shows it larger, and lip-sync's cost grows with its pixels.
        # Uploads keep their size, so a small face in a large photo stays big enough.
        side = presenters.MAX_SIDE_PX
        if ref in presenters.STOCK:
            path, side = presenters.resolve_presenter(ref).image_path, min(self.size)
        else:
            path = self.resolve(ref, field)
        if ("presenter", path) not in self._images:
            try:
                self._images[("presenter", path)] = presenters.load_presenter_image(path, side)
            except InvalidInput as exc:
                raise InvalidInput(field, exc.message, exc.code) from exc
        return self._images[("presenter", path)]

    def open_image(self, ref: str, field: str) -> Image.Image:
        """An RGB image from a spec reference (decoded once per file)."""
        from avatar.compose.media import load_image

        path = self.resolve(ref, field)
        if ("rgb", path) not in self._images:
            self._images[("rgb", path)] = load_image(path, field)
        return self._images[("rgb", path)]

    def open_rgba(self, ref: str, field: str) -> Image.Image:
        """An RGBA image (logos keep their transparency)."""
        path = self.resolve(ref, field)
        try:
            with Image.open(path) as image:
                return image.convert("RGBA")
        except OSError as exc:
            raise InvalidInput(field, f"cannot read image {Path(ref).name}: {exc}") from exc

    def _language(self, spoken: Spoken) -> str | None:
        return self.spec.captions.language or spoken.language

    # ------------------------------------------------------------------ captions

    def _captions(self, segments, speech, geometries):
        spec = self.spec.captions
        file_cues, burned, boxes, painters = [], [], [], []
        for seg in (s for s in segments if s.kind == "scene"):
            spoken, g = speech[seg.index], geometries[seg.index]
            words = cap.words_from_tokens(spoken.result.tokens, seg.start / self.fps, spoken.script)
            if spec.uppercase:
                words = [cap.Word(w.text.upper(), w.start, w.end) for w in words]
            file_cues += cap.build_cues(words, self._fit("subtitle", g, spoken)[0])
            fit, painter = self._fit(spec.style, g, spoken)
            scene_cues = cap.build_cues(words, fit)
            burned += scene_cues
            boxes += [g.captions] * len(scene_cues)
            painters += [painter] * len(scene_cues)
        if not spec.enabled or not burned:
            return file_cues, None
        anchor = "center" if spec.style == "social" else "bottom"
        track = CaptionTrack(burned, boxes, painters, anchor, spec.style == "social")
        return file_cues, track

    def _fit(self, style: str, g, spoken: Spoken) -> tuple[cap.Fit, cap.CaptionPainter]:
        accent = hex_rgba(self.spec.brand.secondary)
        painter = cap.CaptionPainter(
            style, g.scale, g.captions.w, accent, ink_on(accent), self._language(spoken),
        )  # fmt: skip
        sample = spoken.script or "".join(t.text for t in spoken.result.tokens)
        split_from = 5 if style == "social" else None
        lines = self.spec.captions.max_lines
        return cap.Fit(painter.measure_for(sample), g.captions.w, lines, split_from), painter

    # ------------------------------------------------------------------ output

    def _marker_frame(self) -> int | None:
        marker = self.options.sync_marker_s
        return None if marker is None else int(round(marker * self.fps))

    def _poster_frame(self, segments: list[Segment]) -> int:
        first = next(s for s in segments if s.kind == "scene")
        scene = self.spec.scenes[first.index]
        landed = max([o.start_s for o in scene.overlays] + [0.0]) + 0.8
        offset = int(max(POSTER_AT_S, min(landed, 3.0)) * self.fps)
        return first.start + min(offset, first.count - 1)

    def _encode(self, loop: FrameLoop, audio: Path) -> None:
        from avatar import encode

        timed = _Timed(loop, loop.total, self.options.progress)
        started = time.perf_counter()
        encode.encode(timed, audio, self.out, self._settings())
        self._account(timed, started)

    def _settings(self):
        from avatar.encode import EncodeSettings

        w, h = self.size
        return EncodeSettings(
            w, h, self.fps, self.options.preset, self.options.crf, self.options.audio_bitrate,
            input_pix_fmt="yuv420p",
        )  # fmt: skip

    def _account(self, timed: _Timed, started: float) -> None:
        """Split the frame loop's time into lip-sync, compose and encode."""
        pulled = self.lipsync_timer.seconds  # lip-sync frames are rendered lazily, in the loop
        self.clock.add("lipsync", pulled)
        self.clock.add("compose", timed.seconds - pulled - self.build_timer.seconds)
        self.clock.add("encode", time.perf_counter() - started - timed.seconds)

    def _encode_in_chunks(self, loop: FrameLoop, audio: Future, segments, speech) -> None:
        """Encode only the chunks the cache lacks, then join every chunk and the audio."""
        import itertools

        from avatar import encode
        from avatar.render import chunks as chunkmod

        cache = self.options.chunk_cache
        keys = self._segment_keys(segments, speech)
        plan = chunkmod.plan(segments, loop.windows, keys, chunkmod.drawn_over(loop, segments))
        poster = self._poster_chunk(plan, loop.poster_frame)
        joined = {}  # chunk key -> its file, linked into the work folder
        missing = chunkmod.runs(plan, lambda c: self._cached(cache, c, poster, loop, joined))
        for k, seg in enumerate(segments):
            first = loop.windows[k][0] - seg.start if loop.windows[k] else 0
            seg.stage = chunkmod.InOrder(seg.stage, first)
        settings = self._settings()
        total = sum(c.count for run in missing for c in run)
        timed = _Timed(loop.frames(list(chunkmod.spans(missing))), total, self.options.progress,
                       check=lambda: audio.done() and audio.result())  # fmt: skip
        frames, started = iter(timed), time.perf_counter()
        for run in missing:
            counts = [c.count for c in run]
            made = encode.encode_chunks(
                itertools.islice(frames, sum(counts)), counts, self.work / "chunks", settings
            )
            for chunk, path in zip(run, made, strict=True):
                cache.put(chunk.key, path)
                joined[chunk.key] = cache.link_out(chunk.key, self.work / "joined")
                if chunk is poster and loop.poster is not None:
                    cache.put_poster(chunk.key, loop.poster_frame - chunk.start, loop.poster)
        encoded = audio.result().aac.result()
        encode.join([joined[c.key] for c in plan], encoded, self.out)
        cache.trim(keep={c.key for c in plan})
        self._account(timed, started)
        self.reused_frames = loop.total - total

    @staticmethod
    def _poster_chunk(plan, frame: int | None):
        return next((c for c in plan if frame is not None and c.start <= frame < c.end), None)

    def _cached(self, cache, chunk, poster, loop: FrameLoop, joined: dict) -> bool:
        """Is CHUNK in the cache (with the poster frame, where it holds it)? A chunk found
        is linked into the work folder at once, so that trimming the cache (by another
        render) cannot take it away before the join reads it."""
        if not cache.has(chunk):
            return False
        if chunk is poster and self.options.poster:
            buf = cache.poster(chunk.key, loop.poster_frame - chunk.start)
            if buf is None:
                return False
            loop.poster = buf
        try:
            joined[chunk.key] = cache.link_out(chunk.key, self.work / "joined")
        except FileNotFoundError:  # trimmed just now
            return False
        return True

    # ------------------------------------------------------------------ chunk keys

    def _segment_keys(self, segments, speech: list[Spoken]) -> list[str]:
        """What each segment shows, as a digest (see :mod:`avatar.render.chunks`)."""
        from avatar.encode import ffmpeg_exe
        from avatar.render import chunks as chunkmod

        data = self.spec.to_dict()
        files = {
            field: chunkmod.file_digest(self.resolve(ref, field))
            for ref, field in assetmod.references(self.spec)
            if field != "music.src"
        }
        shared = {
            "format": chunkmod.FORMAT, "code": chunkmod.code_version(),
            "encoder": [Path(ffmpeg_exe()).name, self.options.preset, self.options.crf],
            "size": self.size, "fps": self.fps,
            "spec": {k: v for k, v in data.items() if k not in ("scenes", "music", "audio")},
            "files": {f: d for f, d in files.items() if not f.startswith("scenes[")},
        }  # fmt: skip
        keys = []
        for seg in segments:
            what = {"shared": shared, "kind": seg.kind, "count": seg.count}
            if seg.kind == "scene":
                i, spoken = seg.index, speech[seg.index]
                prefix = f"scenes[{i}]."
                what |= {
                    "index": i, "scene": data["scenes"][i],
                    "files": {f: d for f, d in files.items() if f.startswith(prefix)},
                    "presenter": self._stock_digest(self.spec.scenes[i]),
                    "speech": chunkmod.speech_digest(spoken.result, spoken.script),
                    "language": self._language(spoken),
                }  # fmt: skip
            keys.append(chunkmod.digest(what))
        return keys

    def _stock_digest(self, scene) -> str | None:
        from avatar import presenters
        from avatar.render.chunks import file_digest

        if scene.layout == "voiceover" or scene.avatar not in presenters.STOCK:
            return None
        return file_digest(presenters.resolve_presenter(scene.avatar).image_path)

    def _write_files(self, loop: FrameLoop, cues: list) -> dict:
        files = {"poster": None, "srt": None, "vtt": None}
        if self.options.poster and loop.poster is not None:
            files["poster"] = self.out.with_suffix(".jpg")
            rgb = poster_rgb(loop.poster, *self.size)
            Image.fromarray(rgb).save(files["poster"], quality=POSTER_QUALITY, optimize=True)
        if self.options.caption_files:
            files["srt"], files["vtt"] = self.out.with_suffix(".srt"), self.out.with_suffix(".vtt")
            cap.write_files(cues, files["srt"], files["vtt"])
        return files


class _Counter:
    def __init__(self) -> None:
        self.seconds = 0.0

    def add(self, seconds: float) -> None:
        self.seconds += seconds


PROGRESS_EVERY = 25  # frames between progress reports (each may touch a database)


@dataclass
class _Soundtrack:
    """The mixed soundtrack, its levels, and its AAC encode where one was started."""

    wav: Path
    levels: dict
    aac: object | None = None  # avatar.encode.AudioEncode

    def stop(self) -> None:
        if self.aac is not None:
            self.aac.stop()


class _Timed:
    """Iterates ``items`` and adds up the time spent producing them; CHECK is called
    every PROGRESS_EVERY items (it raises to stop the loop)."""

    def __init__(self, items, total: int = 0, progress=None, check=None) -> None:
        self.items = items
        self.seconds = 0.0
        self.total, self.progress, self.check = max(1, total), progress, check

    def __iter__(self) -> Iterator:
        iterator = iter(self.items)
        done = 0
        while True:
            start = time.perf_counter()
            item = next(iterator, None)
            self.seconds += time.perf_counter() - start
            if item is None:
                return
            done += 1
            if done % PROGRESS_EVERY == 0:
                if self.check is not None:
                    self.check()
                if self.progress:
                    self.progress(done / self.total)
            yield item
