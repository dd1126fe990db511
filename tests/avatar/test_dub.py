"""The library side of translation and dubbing: uploads verified by decoding, speech
recognised beyond English with the language detected, subtitles through pysubs2, and
translation engines that say plainly which pairs they cover."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import imageio_ffmpeg
import numpy as np
import pytest

from avatar.audio.io import decode_audio
from avatar.audio.transcribe import word_error_rate
from avatar.dub import subtitles, translate
from avatar.dub.probe import InvalidVideo, probe_video
from avatar.dub.transcribe import RATE, Segment, Word, split_at_pauses, transcribe_file

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SPANISH = "Bienvenidos a la reunión de seguridad. Hoy hablamos de las salidas de emergencia."
ENGLISH = "Welcome to the quarterly safety briefing. Please watch until the end."


def ffmpeg(*args) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def make_video(path, seconds=2.0, audio=True, audio_file=None, codec=None):
    inputs = ["-f", "lavfi", "-i", f"testsrc=size=320x240:rate=25:duration={seconds}"]
    if audio_file:
        inputs += ["-i", str(audio_file)]
    elif audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    codecs = codec or (["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"])
    ffmpeg(*inputs, *codecs, "-shortest", str(path))
    return path


def speak(text, voice, path):
    from avatar.voices import synthesize

    synthesize(text, voice, path)
    return path


# Verifying an upload ---------------------------------------------------------------


def test_a_real_mp4_is_described(tmp_path):
    info = probe_video(make_video(tmp_path / "clip.mp4"), max_seconds=60)
    assert info.container == "mp4" and (info.width, info.height) == (320, 240)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert 1.9 <= info.duration_s <= 2.2 and info.fps == 25


def test_a_webm_is_accepted(tmp_path):
    codecs = ["-c:v", "libvpx", "-c:a", "libvorbis"]
    info = probe_video(make_video(tmp_path / "clip.webm", codec=codecs), max_seconds=60)
    assert info.container == "webm" and info.audio_codec == "vorbis"


@pytest.mark.parametrize(
    "make,code",
    [
        (lambda p: p.write_text("just some text, not a video"), "not_a_video"),
        (lambda p: make_video(p, audio=False), "no_audio"),
        (lambda p: p.write_bytes(make_video(p).read_bytes()[:3000]), "corrupt"),
        (lambda p: make_video(p, seconds=4.0), "too_long"),
        (lambda p: p.write_text("#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n"), "not_a_video"),
    ],
    ids=["text", "silent-track-missing", "truncated", "too-long", "playlist-renamed"],
)
def test_bad_uploads_are_refused_with_a_reason(tmp_path, make, code):
    path = tmp_path / "upload.mp4"
    make(path)
    with pytest.raises(InvalidVideo) as refused:
        probe_video(path, max_seconds=3)
    assert refused.value.code == code and refused.value.field == "video"
    assert refused.value.message.endswith(".")


@pytest.mark.parametrize("turn", [90, -90, 180])
def test_a_phone_video_stored_sideways_is_read_upright(tmp_path, turn):
    """A phone stores a portrait video as landscape frames and a turn to show them by:
    its size, and every frame we decode, are as a player shows it (ffmpeg's own decode,
    which applies the turn, is the reference)."""
    from avatar.lipsync.video import decode_frames, video_format

    turned = tmp_path / "turned.mp4"
    plain = make_video(tmp_path / "plain.mp4")
    ffmpeg("-display_rotation", str(turn), "-i", str(plain), "-c", "copy", str(turned))
    shown = (320, 240) if turn == 180 else (240, 320)
    info, form = probe_video(turned, max_seconds=60), video_format(turned)
    assert (info.width, info.height) == (form.width, form.height) == shown
    raw = subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(turned), "-frames:v", "1", "-f", "rawvideo",
         "-pix_fmt", "rgb24", "-"], capture_output=True, check=True,
    ).stdout  # fmt: skip
    reference = np.frombuffer(raw, np.uint8).reshape(shown[1], shown[0], 3)
    first = next(decode_frames(turned))
    assert first.shape == reference.shape
    assert np.abs(first.astype(np.int16) - reference).mean() < 2.0


def test_too_long_says_the_length_and_the_limit(tmp_path):
    with pytest.raises(InvalidVideo) as refused:
        probe_video(make_video(tmp_path / "long.mp4", seconds=4.0), max_seconds=3)
    assert "4 s long" in refused.value.message and "up to 3 s" in refused.value.message


# Recognising speech ----------------------------------------------------------------


def test_segments_start_at_every_long_pause_and_stay_short():
    words = [Word("Hello", 0.0, 0.4), Word("there.", 0.5, 0.9), Word("Next", 2.0, 2.3)]
    assert [s.text for s in split_at_pauses(words)] == ["Hello there.", "Next"]
    many = [Word(f"w{i}{',' if i == 9 else ''}", i * 0.5, i * 0.5 + 0.4) for i in range(20)]
    parts = split_at_pauses(many, max_s=7.0)
    assert all(p.end - p.start <= 7.0 for p in parts) and len(parts) >= 2
    assert parts[0].text.endswith("w9,")  # cut at the comma, not mid-phrase


@pytest.mark.slow
def test_spanish_speech_in_a_video_is_recognised_and_its_language_detected(tmp_path):
    voice = speak(SPANISH, "espeak:es", tmp_path / "es.wav")
    video = make_video(tmp_path / "es.mp4", seconds=8, audio_file=voice)
    transcript = transcribe_file(video)  # no language given: detect it
    assert transcript.language == "es" and transcript.language_probability > 0.5
    wer = word_error_rate(SPANISH, transcript.text)
    print(f"spanish WER {wer:.2f}: {transcript.text!r}")
    assert wer <= 0.35
    assert transcript.segments and all(s.end > s.start for s in transcript.segments)


@pytest.mark.slow
def test_english_is_detected_too_and_a_silent_video_is_refused(tmp_path):
    from avatar.errors import AvatarError

    voice = speak(ENGLISH, "piper:en_US-joe-medium", tmp_path / "en.wav")
    transcript = transcribe_file(voice)
    assert transcript.language == "en"
    assert word_error_rate(ENGLISH, transcript.text) <= 0.2
    silent = tmp_path / "silent.mp4"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "3", str(silent))
    with pytest.raises(AvatarError) as refused:
        transcribe_file(silent)
    assert refused.value.code == "silent" and refused.value.field == "video"


def test_decoding_a_video_for_recognition_gives_16_khz_mono(tmp_path):
    samples = decode_audio(make_video(tmp_path / "clip.mp4"), rate=RATE)
    assert samples.ndim == 1 and abs(len(samples) / RATE - 2.0) < 0.1
    assert np.abs(samples).max() > 0.1


# Subtitles ---------------------------------------------------------------------------

SEGMENTS = [Segment(0.5, 2.25, "Hola, bienvenidos."), Segment(3.0, 5.1, "Salidas de emergencia")]


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_subtitles_round_trip(fmt):
    text = subtitles.write(SEGMENTS, fmt)
    assert ("WEBVTT" in text) == (fmt == "vtt")
    back = subtitles.read(text.encode())
    assert [(s.start, s.end, s.text) for s in back] == [(s.start, s.end, s.text) for s in SEGMENTS]


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_what_the_customer_wrote_is_what_the_subtitles_say(fmt):
    """Ampersands, angle brackets, braces and arrows are text, not markup or timing."""
    said = [Segment(0.0, 1.5, "Tom & Jerry <3 {laughs}"), Segment(2.0, 3.0, "a --> b")]
    text = subtitles.write(said, fmt)
    assert "{laughs}" in text and "a → b" in text and text.count("-->") == 2  # timings only
    if fmt == "vtt":
        assert "Tom &amp; Jerry &lt;3 {laughs}" in text  # WebVTT's escapes
        assert subtitles.read(text.encode())[0].text.startswith("Tom & Jerry <3")
    else:
        assert "Tom & Jerry <3 {laughs}" in text


def test_an_uploaded_srt_loses_its_markup_and_keeps_its_timing():
    srt = (
        "1\n00:00:01,000 --> 00:00:02,500\n<i>Hello</i>\nthere\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n{\\an8}Top\n"
    )
    back = subtitles.read(srt.encode())
    assert [(s.start, s.end, s.text) for s in back] == [
        (1.0, 2.5, "Hello there"),
        (3.0, 4.0, "Top"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00garbage",
        b"not subtitles at all",
        b"1\n00:00:01,000 --> 00:00:00,500\n\n",
    ],
)
def test_unreadable_subtitles_are_refused(data):
    with pytest.raises(subtitles.InvalidSubtitles) as refused:
        subtitles.read(data)
    assert refused.value.field == "subtitles"


# Translation -------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("apertium"), reason="Debian's apertium is not installed")
def test_english_to_spanish_is_a_draft_by_apertium():
    engines = translate.installed_engines()
    lines = ["Welcome to the quarterly safety briefing.", "Fire exits are marked in green."]
    out, engine = translate.translate_texts(lines, "en", "es", engines)
    assert engine.name == "apertium" and engine.quality == "draft"
    assert len(out) == 2 and "seguridad" in out[0] and "verde" in out[1]


def test_english_to_portuguese_is_good_by_bergamot():
    out, engine = translate.translate_texts(
        ["Welcome to the training.", ""], "en", "pt", translate.installed_engines()
    )
    assert engine.name == "bergamot" and engine.quality == "good"
    assert out[0] == "Bem-vindo ao treinamento." and out[1] == ""


def test_an_unsupported_pair_names_itself_and_what_is_supported():
    with pytest.raises(translate.UnsupportedPair) as refused:
        translate.engine_for("en", "de", translate.installed_engines())
    message = refused.value.message
    assert "English to German (en→de)" in message and "en→pt" in message
    assert refused.value.code == "unsupported_language_pair"
    assert refused.value.field == "target_languages"


class FakeProvider(BaseHTTPRequestHandler):
    """Stands in for an OpenAI-compatible service, which cannot exist on this machine."""

    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeProvider.requests.append((self.path, self.headers.get("Authorization"), body))
        lines = json.loads(body["messages"][0]["content"].split("\n", 1)[1])
        answer = json.dumps([f"[de] {line}" for line in lines])
        payload = json.dumps({"choices": [{"message": {"content": answer}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_a_configured_provider_translates_any_pair():
    server = HTTPServer(("127.0.0.1", 0), FakeProvider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        provider = translate.Provider(f"http://127.0.0.1:{server.server_port}/v1", "sk-x", "m")
        engines = translate.installed_engines(provider)
        out, engine = translate.translate_texts(["Hello", "Bye"], "en", "de", engines)
    finally:
        server.shutdown()
    assert engine.name == "provider" and out == ["[de] Hello", "[de] Bye"]
    path, auth, body = FakeProvider.requests[-1]
    assert path == "/v1/chat/completions" and auth == "Bearer sk-x" and body["model"] == "m"
    # The offline engine still wins where it covers the pair.
    assert translate.engine_for("en", "pt", engines).name == "bergamot"


def test_an_unreachable_provider_is_a_retryable_failure():
    provider = translate.Provider("http://127.0.0.1:9/v1", timeout=2)
    with pytest.raises(translate.TranslationFailed) as failed:
        provider.translate(["Hello"], "en", "de")
    assert failed.value.retryable


# Dubbing -----------------------------------------------------------------------------


def test_the_original_is_ducked_only_where_someone_speaks():
    from avatar.dub.dub import DUCK_DB, RATE, duck_gain

    gain = duck_gain(5 * RATE, [(1.0, 2.0)])
    assert gain[int(0.5 * RATE)] == pytest.approx(1.0)
    assert gain[int(1.5 * RATE)] == pytest.approx(10 ** (DUCK_DB / 20), rel=1e-3)
    assert gain[int(3.0 * RATE)] == pytest.approx(1.0)


def test_an_original_with_nothing_but_the_voice_is_muted_not_ducked():
    from avatar.dub.dub import RATE, duck_gain

    gain = duck_gain(5 * RATE, [(1.0, 2.0)], None)
    assert gain[int(1.5 * RATE)] == 0.0 and gain[int(3.0 * RATE)] == pytest.approx(1.0)


@pytest.mark.parametrize("with_music", [False, True])
def test_the_original_voice_is_not_heard_in_the_new_voices_pauses_unless_music_is_kept(
    tmp_path, with_music
):
    """A presenter recorded clean, and the dub's line ending before hers: what is left of
    her under the dub is silence, not her words 24 dB down. Over music the music stays."""
    from avatar.audio.io import read_wav, resample
    from avatar.dub.dub import DUCK_DB, RAMP_S, RATE, Line, bed_level_db, dub_track

    english, rate = read_wav(speak(ENGLISH, "espeak:en-gb", tmp_path / "en.wav"))
    english = resample(english, rate, RATE)
    original = np.zeros(int(6.0 * RATE), dtype=np.float32)
    original[int(0.5 * RATE) : int(0.5 * RATE) + len(english)] = english
    her_end = 0.5 + len(english) / RATE
    assert her_end < 5.5
    music = 0.1 * np.sin(2 * np.pi * 220 * np.arange(len(original)) / RATE)
    if with_music:
        original = (original + music).astype(np.float32)
    result = dub_track([Line(0.5, her_end, "Hola.")], "espeak:es", original,
                       tmp_path / "dub.wav", speech_spans=[(0.5, her_end)])  # fmt: skip
    mixed, _ = read_wav(result.wav)
    [hola] = result.placed
    pause = slice(int((hola.end + RAMP_S) * RATE), int((her_end - RAMP_S) * RATE))
    assert pause.stop - pause.start > RATE  # a second of her speaking on alone
    left = np.sqrt(np.mean(mixed[pause] ** 2))
    if with_music:  # music and her voice, 24 dB down: the music is kept
        assert bed_level_db(original) > -30
        under = np.sqrt(np.mean(original[pause] ** 2)) * 10 ** (DUCK_DB / 20)
        assert left == pytest.approx(under, rel=0.1)
    else:
        assert bed_level_db(original) < -100
        assert left < 1e-4, left  # 24 dB down would be about 1e-2 for espeak at full level


@pytest.mark.slow
def test_lines_are_fitted_to_their_slots_and_mixed_over_the_music(tmp_path):
    from avatar.audio.io import read_wav
    from avatar.dub.dub import MAX_SPEEDUP, RATE, Line, dub_track

    seconds = 8.0
    t = np.arange(int(seconds * RATE)) / RATE
    music = (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    lines = [
        Line(0.5, 2.0, "Hola a todos."),
        # Far too long for its 1.2 s slot: sped up to the limit, then runs on.
        Line(2.5, 3.5, "Hoy hablamos de las salidas de emergencia y de los botiquines."),
        Line(4.0, 5.0, "Gracias."),
    ]
    result = dub_track(lines, "espeak:es", music, tmp_path / "dub.wav")
    mixed, rate = read_wav(result.wav)
    assert rate == RATE and len(mixed) == len(music)  # the same length as the original
    assert result.stretched >= 1 and result.overran >= 1
    assert all(1.0 <= p.speed <= MAX_SPEEDUP for p in result.placed), result.placed
    first, second, third = result.placed
    assert first.start == 0.5 and first.speed == 1.0
    assert third.start >= second.end  # a line that ran on pushes the next one back
    quiet = slice(int(7.0 * RATE), int(7.8 * RATE))  # music alone: untouched
    assert np.allclose(mixed[quiet], music[quiet], atol=0.01)
    assert result.report()["speed_limit"] == MAX_SPEEDUP


def test_lines_that_run_past_the_end_of_the_video_are_cut_and_counted(tmp_path):
    """The last lines, pushed back by the ones before, may not fit before the picture
    ends: the track keeps the video's length and the report says how many were cut."""
    from avatar.audio.io import read_wav
    from avatar.dub.dub import RATE, Line, dub_track

    music = np.zeros(int(3.0 * RATE), dtype=np.float32)
    long = "Hoy hablamos de las salidas de emergencia y de los botiquines de cada planta."
    lines = [Line(0.2, 1.0, long), Line(1.2, 2.0, "Gracias por venir."), Line(2.5, 2.9, "Adiós.")]
    result = dub_track(lines, "espeak:es", music, tmp_path / "dub.wav")
    mixed, _ = read_wav(result.wav)
    assert len(mixed) == len(music)
    assert result.cut >= 1 and result.report()["cut"] == result.cut
    last = result.placed[-1]
    assert 0 < last.cut_s <= last.end - last.start + 0.001


@pytest.mark.slow
def test_the_dubbed_video_keeps_the_picture_and_the_length(tmp_path):
    from avatar.dub.dub import RATE, Line, dub_track, mux

    video = make_video(tmp_path / "clip.mp4", seconds=3.0)
    original = decode_audio(video, rate=RATE)
    result = dub_track([Line(0.2, 2.5, "Hola.")], "espeak:es", original, tmp_path / "d.wav")
    out = mux(video, result.wav, tmp_path / "dubbed.mp4")
    info = probe_video(out, max_seconds=60)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert abs(info.duration_s - 3.0) / 3.0 <= 0.05


# Lip-sync over a video ---------------------------------------------------------------


@pytest.fixture(scope="module")
def presenter_video(tmp_path_factory):
    """A project-made video of a real face (the stock presenter Grace) speaking English."""
    from avatar.pipeline import TalkingVideoRequest, render_talking_video

    folder = tmp_path_factory.mktemp("presenter")
    request = TalkingVideoRequest(script=ENGLISH, presenter="grace", aspect="16:9")
    return render_talking_video(request, out_path=folder / "grace.mp4").path


@pytest.fixture(scope="module")
def spanish_voice(presenter_video, tmp_path_factory):
    """The new voice alone, as long as the video (what the dub stage writes for lip-sync)."""
    from avatar.dub.dub import RATE, Line, dub_track

    folder = tmp_path_factory.mktemp("voice")
    original = decode_audio(presenter_video, rate=RATE)
    lines = [
        Line(0.3, 3.0, "Bienvenidos a la reunión."),
        Line(3.2, 5.5, "Por favor, mirad hasta el final."),
    ]
    dub_track(lines, "espeak:es", original, folder / "dub.wav", voice_out=folder / "voice.wav")
    return folder / "voice.wav"


def envelope(path, frames: int, fps: float) -> np.ndarray:
    samples = decode_audio(path, rate=16000)
    hop = 16000 / fps
    return np.array(
        [
            np.sqrt(np.mean(samples[int(i * hop) : int((i + 1) * hop)] ** 2) + 1e-12)
            for i in range(frames)
        ]
    )


@pytest.mark.slow
def test_lipsync_changes_only_the_lower_face_and_follows_the_new_voice(
    presenter_video, spanish_voice
):
    from avatar.lipsync import faces
    from avatar.lipsync.video import _box, decode_frames, lipsync_frames, mouth_opening, track

    points, _ = track(presenter_video)
    frames, report, fps, _ = lipsync_frames(presenter_video, spanish_voice, device="cpu")
    openings, outside_changed = [], 0
    for index, (source, out) in enumerate(zip(decode_frames(presenter_video), frames, strict=True)):
        x0, y0, x1, y1 = _box(points[index], source.shape)
        outside = np.ones(source.shape[:2], dtype=bool)
        outside[y0:y1, x0:x1] = False
        outside_changed += int(np.any(source[outside] != out[outside]))
        [mesh] = faces.face_meshes(out)
        openings.append(mouth_opening(mesh))
    assert report.synced >= 0.95 * report.frames and report.shots == 1
    assert outside_changed == 0  # every pixel outside the lower face is the original's
    openings = np.array(openings)
    new = np.corrcoef(openings, envelope(spanish_voice, len(openings), fps))[0, 1]
    old = np.corrcoef(openings, envelope(presenter_video, len(openings), fps))[0, 1]
    print(f"mouth opening vs new voice r={new:.2f}, vs original speech r={old:.2f}")
    assert new > old and new > 0.2


@pytest.mark.slow
def test_a_video_without_a_face_passes_through_unchanged(tmp_path, spanish_voice):
    from avatar.lipsync.video import decode_frames, lipsync_frames

    video = make_video(tmp_path / "noface.mp4", seconds=2.0)
    frames, report, _, _ = lipsync_frames(video, spanish_voice, device="cpu")
    assert all(np.array_equal(a, b) for a, b in zip(decode_frames(video), frames, strict=True))
    assert report.synced == 0 and report.reasons == {"no_face_in_shot": report.frames}


def test_a_cut_starts_a_new_shot(tmp_path):
    from avatar.lipsync.video import track

    first = make_video(tmp_path / "a.mp4", seconds=1.0)
    second = tmp_path / "b.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=red:size=320x240:rate=25:duration=1", "-f", "lavfi",
           "-i", "sine=duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
           "-shortest", str(second))  # fmt: skip
    joined = tmp_path / "cut.mp4"
    ffmpeg("-i", str(first), "-i", str(second), "-filter_complex",
           "[0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1", str(joined))  # fmt: skip
    _, shots = track(joined)
    assert [shot.start for shot in shots] == [0, 25]


# Burned-in captions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,text",
    [
        ("es", "Hola a todos, bienvenidos."),
        ("ja", "みなさん、こんにちは。"),
        ("ar", "مرحبا بكم جميعا"),
    ],
)
def test_captions_are_burned_at_the_bottom_only_while_their_line_is_spoken(language, text):
    from avatar.dub.burn import Burner

    frame = np.full((360, 640, 3), 90, dtype=np.uint8)
    burner = Burner([Segment(1.0, 2.5, text)], 640, 360, language)
    assert np.array_equal(burner.burn(frame, 0.5), frame)  # nothing before the line
    shown = burner.burn(frame, 1.5)
    changed = np.nonzero(np.any(shown != frame, axis=2))
    assert changed[0].size > 500  # text on a box
    assert changed[0].min() > 360 * 0.6  # in the bottom part of the picture
    assert np.array_equal(burner.burn(frame, 5.0), frame)  # gone after it


@pytest.mark.slow
def test_burning_captions_into_a_video_keeps_its_length(tmp_path):
    from avatar.dub.burn import burn_captions
    from avatar.dub.dub import RATE, Line, dub_track

    video = make_video(tmp_path / "clip.mp4", seconds=3.0)
    original = decode_audio(video, rate=RATE)
    dub = dub_track([Line(0.2, 2.5, "Hola.")], "espeak:es", original, tmp_path / "d.wav")
    out = burn_captions(video, [Segment(0.2, 2.5, "Hola.")], "es", dub.wav, tmp_path / "c.mp4")
    info = probe_video(out, max_seconds=60)
    assert abs(info.duration_s - 3.0) <= 0.15 and info.width == 320
