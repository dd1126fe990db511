"""RenderSpec: JSON in and out, strict validation that names the field by its JSON path."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from avatar.errors import InvalidInput
from avatar.render import local_files
from avatar.render.assets import check, references
from avatar.spec import RenderSpec

EXAMPLES = Path(__file__).resolve().parents[2] / "avatar" / "examples"
MINIMAL = {"scenes": [{"speech": {"script": "Hello there."}}]}


def product_ad() -> dict:
    return json.loads((EXAMPLES / "product-ad-9x16.json").read_text())


@pytest.mark.parametrize("name", ["product-ad-9x16.json", "training-16x9.json"])
def test_the_examples_are_valid_and_survive_a_json_round_trip(name):
    spec = RenderSpec.from_json(EXAMPLES / name)
    again = RenderSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec
    assert spec.version == 1


@pytest.mark.parametrize("name", ["product-ad-9x16.json", "training-16x9.json"])
def test_every_file_an_example_names_ships_in_the_repo(name):
    spec = RenderSpec.from_json(EXAMPLES / name)
    brand = check(spec, local_files(EXAMPLES))
    files = [EXAMPLES / ref for ref, _ in references(spec)]
    assert files and all(f.is_file() and f.stat().st_size < 200_000 for f in files)
    assert brand.logo == spec.brand.logo


def test_a_minimal_spec_gets_the_documented_defaults():
    spec = RenderSpec.from_dict(MINIMAL)
    assert (spec.output.aspect, spec.output.resolution, spec.output.fps) == ("9:16", "720p", 30)
    assert spec.captions.enabled and spec.captions.style == "social"
    assert spec.music is None and spec.intro is None and spec.watermark is None
    assert (spec.audio.loudness_lufs, spec.audio.peak_dbfs) == (-14.0, -1.0)
    scene = spec.scenes[0]
    assert (scene.avatar, scene.layout, scene.speech.voice) == (
        "daniel",
        "presenter",
        "piper:en_US-joe-medium",
    )
    assert spec.transition.type == "crossfade"


def _error(data) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        RenderSpec.from_dict(data)
    assert caught.value.message and not caught.value.retryable
    return caught.value


def _with(path: list, value) -> dict:
    data = product_ad()
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["scenes", 1, "media", 0, "fitt"], "cover", "scenes[1].media[0].fitt"),
        (["colour"], "red", "colour"),
        (["output", "aspect"], "4:3", "output.aspect"),
        (["output", "resolution"], "4k", "output.resolution"),
        (["output", "fps"], True, "output.fps"),
        (["output", "fps"], 0, "output.fps"),
        (["scenes", 3, "overlays", 1, "price"], KeyError, "scenes[3].overlays[1].price"),
        (["scenes", 0, "overlays", 0, "price"], "$1", "scenes[0].overlays[0].price"),
        (["scenes", 2, "media", 0, "src"], "https://shop.test/mug.jpg", "scenes[2].media[0].src"),
        (["scenes", 2, "media", 0, "motion"], "spin", "scenes[2].media[0].motion"),
        (["scenes", 0, "speech", "voice"], "piper:xx-nobody", "scenes[0].speech.voice"),
        (["scenes", 0, "speech", "rate"], 3, "scenes[0].speech.rate"),
        (["scenes", 0, "speech", "audio"], "hello.mp3", "scenes[0].speech"),
        (["scenes", 0, "layout"], "pip", "scenes[0].layout"),
        (["scenes", 1, "transition", "type"], "wipe", "scenes[1].transition.type"),
        (["brand", "primary"], "teal", "brand.primary"),
        (["music", "track"], "jazz", "music.track"),
        (["captions", "style"], "karaoke", "captions.style"),
        (["captions", "max_lines"], 3, "captions.max_lines"),
        (["watermark", "position"], "middle", "watermark.position"),
        (["scenes", 1, "overlays", 0, "items"], [], "scenes[1].overlays[0].items"),
        (["scenes", 1, "overlays", 0, "end_s"], 0.1, "scenes[1].overlays[0].end_s"),
        (["scenes", 3, "avatar"], None, "scenes[3].media"),
        (["version"], 2, "version"),
        (["scenes"], [], "scenes"),
    ],
)
def test_invalid_specs_name_the_field_by_its_json_path(path, value, field):
    data = _with(path, value)
    if path == ["scenes", 3, "avatar"]:  # a voice-over scene without media cannot be drawn
        data["scenes"][3]["media"] = []
    assert _error(data).field == field


def test_an_unknown_voice_keeps_its_error_code():
    data = copy.deepcopy(MINIMAL)
    data["scenes"][0]["speech"]["voice"] = "nope"
    error = _error(data)
    assert (error.field, error.code) == ("scenes[0].speech.voice", "unknown_voice")


def test_the_spec_must_be_an_object_and_valid_json():
    assert _error([1, 2]).field == "spec"
    with pytest.raises(InvalidInput) as caught:
        RenderSpec.from_json("{not json")
    assert caught.value.field == "spec"


def test_missing_files_are_reported_on_their_field_before_any_work(tmp_path):
    data = product_ad()
    data["scenes"][2]["media"][0]["src"] = "media/no-such-mug.jpg"
    spec = RenderSpec.from_dict(data)
    with pytest.raises(InvalidInput) as caught:
        check(spec, local_files(EXAMPLES))
    assert caught.value.field == "scenes[2].media[0].src"


def test_asset_references_go_through_the_callers_resolver():
    data = product_ad()
    data["scenes"][1]["media"][0]["src"] = "asset:42"
    spec = RenderSpec.from_dict(data)
    with pytest.raises(InvalidInput) as caught:
        check(spec, local_files(EXAMPLES))
    assert caught.value.field == "scenes[1].media[0].src"
    seen = []

    def resolver(ref: str, field: str) -> Path:
        seen.append((ref, field))
        return EXAMPLES / "media" / "mug-hero.jpg" if ref == "asset:42" else EXAMPLES / ref

    check(spec, resolver)
    assert ("asset:42", "scenes[1].media[0].src") in seen
