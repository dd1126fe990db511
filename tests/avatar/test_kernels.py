"""The compiled kernels against plain numpy statements of their arithmetic."""

import numpy as np
import pytest

from avatar.compose import kernels


def _oracle(src: np.ndarray, h: int, w: int, box) -> np.ndarray:
    """Bilinear in 8-bit fixed point, the four taps at once (the kernel's contract)."""
    x0, y0, x1, y1 = box
    sh, sw = src.shape
    fx = np.clip(x0 + (np.arange(w) + 0.5) * (x1 - x0) / w - 0.5, 0, sw - 1.0)
    fy = np.clip(y0 + (np.arange(h) + 0.5) * (y1 - y0) / h - 0.5, 0, sh - 1.0)
    i = np.minimum(fx.astype(np.int64), sw - 2)
    j = np.minimum(fy.astype(np.int64), sh - 2)
    a = ((fx - i) * 256.0 + 0.5).astype(np.int64)[None, :]
    b = ((fy - j) * 256.0 + 0.5).astype(np.int64)[:, None]
    s = src.astype(np.int64)
    top = s[j][:, i] * (256 - a) + s[j][:, i + 1] * a
    bottom = s[j + 1][:, i] * (256 - a) + s[j + 1][:, i + 1] * a
    return ((top * (256 - b) + bottom * b + 32768) >> 16).astype(np.uint8)


@pytest.mark.skipif(kernels._compiled() is None, reason="numba is not installed")
def test_the_zoom_kernel_matches_its_arithmetic_on_any_box():
    rng = np.random.default_rng(7)
    for _ in range(60):
        sh, sw = (int(v) for v in rng.integers(2, 240, 2))
        h, w = (int(v) for v in rng.integers(1, 200, 2))
        src = rng.integers(0, 256, (sh, sw), dtype=np.uint8)
        x0 = rng.uniform(-3, sw)
        y0 = rng.uniform(-3, sh)
        box = (x0, y0, rng.uniform(x0 + 0.1, sw + 3), rng.uniform(y0 + 0.1, sh + 3))
        out = np.zeros((h, w), np.uint8)
        kernels.zoom_into(src, out, box)
        np.testing.assert_array_equal(out, _oracle(src, h, w, box), err_msg=str(box))


def test_the_zoom_writes_into_a_view_of_a_frame():
    src = np.tile(np.arange(64, dtype=np.uint8) * 4, (48, 1))
    frame = np.full((60, 80), 7, np.uint8)
    kernels.zoom_into(src, frame[10:40, 20:60], (8.0, 8.0, 48.0, 38.0))
    assert (frame[:10] == 7).all() and (frame[40:] == 7).all()
    assert (frame[:, :20] == 7).all() and (frame[:, 60:] == 7).all()
    row = frame[25, 20:60].astype(int)
    assert (np.diff(row) > 0).all()  # the ramp, left to right, enlarged
    assert abs(row[0] - 4 * 8) <= 2 and abs(row[-1] - 4 * 47) <= 2


@pytest.mark.skipif(kernels._jit("_rgb_planes_loop") is None, reason="numba is not installed")
def test_the_rgb_to_yuv_kernel_gives_numpys_pixels(monkeypatch):
    from avatar.compose import yuv

    rng = np.random.default_rng(11)
    pictures = [rng.integers(0, 256, (h, w, 3), dtype=np.uint8) for h, w in
                ((2, 2), (64, 48), (7, 9), (690, 374))]  # fmt: skip
    frame = rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)
    pictures.append(frame[11:101, 33:130])  # a view, odd-sized and strided
    pictures.append(np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]],
                             np.uint8))  # fmt: skip
    compiled = [yuv.planes_from_rgb(p) for p in pictures]
    monkeypatch.setattr(kernels, "rgb_to_planes", lambda rgb: None)  # numpy's path
    for picture, got in zip(pictures, compiled, strict=True):
        want = yuv.planes_from_rgb(picture)
        for plane in "yuv":
            np.testing.assert_array_equal(getattr(got, plane), getattr(want, plane))


@pytest.mark.skipif(kernels._compiled() is None, reason="numba is not installed")
def test_the_kernels_run_where_numba_has_nowhere_to_cache_them():
    """An install whose code folders are read-only to the worker, with no writable cache
    folder (the images' app user before NUMBA_CACHE_DIR): numba refuses to make a cached
    kernel at all ("no locator available"), so the kernels are compiled uncached. numba's
    own setting NUMBA_CACHE_LOCATOR_CLASSES, with no NUMBA_CACHE_DIR, leaves it nowhere."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["NUMBA_CACHE_LOCATOR_CLASSES"] = "UserProvidedCacheLocator"
    script = (
        "import numpy as np\n"
        "from avatar.compose import kernels\n"
        "planes = kernels.rgb_to_planes(np.full((4, 4, 3), 200, np.uint8))\n"
        "print(int(planes[0][0, 0]))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["188"]  # (200 * (47 + 157 + 16) + 4224) >> 8
    assert "compiled in every process" in run.stderr and "no locator available" in run.stderr
