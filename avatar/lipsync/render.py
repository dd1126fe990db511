"""The renderer: a prepared avatar + per-frame rig parameters -> RGB frames, in torch.

Only the region of interest (ROI: the box around the change mask, i.e. the
face, head and neck) is computed; the rest of every frame is the photo.
For each batch of frames, on any device:

1. The control points' targets come from the rig parameters (one matmul),
   and a thin-plate spline from targets back to sources is solved per frame.
2. On a coarse grid over the ROI, idle head motion (a small rotation and
   shift, weighted by an eroded head mask so the silhouette and everything
   around it stays put) is composed with the spline, giving where each
   output pixel comes from; the field is upsampled to full resolution.
3. One ``grid_sample`` warps the photo; the mouth interior is painted between
   the warped inner lips; the result is blended into the photo through the
   change mask, so pixels where the mask is 0 are the photo's, bit for bit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from avatar.compose.kernels import compiled
from avatar.lipsync import eyes, mouth
from avatar.lipsync import landmarks as lm
from avatar.lipsync.geometry import Rig, build_rig
from avatar.lipsync.landmarks import face_width
from avatar.lipsync.prepare import PreparedAvatar

DEFAULT_BATCH = 16
TPS_REGULARISATION = 1e-6


@functools.cache
def _ahead() -> ThreadPoolExecutor:
    """The process's one thread that renders lip-sync batches ahead. With a thread for
    each clip, and each batch's float tensors held until it was done, the 5-minute
    1080p render peaked at 1946 MiB; with this, 1545 (1538 with no thread ahead)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="lipsync")


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """``"auto"`` is CUDA when available, else the CPU; anything else is passed to torch."""
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


class Renderer:
    """Renders frames of one avatar on one device; reuse it for every clip of that avatar."""

    def __init__(
        self, avatar: PreparedAvatar, device: str = "auto", batch_size: int = DEFAULT_BATCH
    ):
        self.avatar = avatar
        self.device = resolve_device(device)
        self.batch_size = batch_size
        self.rig: Rig = build_rig(avatar.points)
        height, width = avatar.image.shape[:2]
        self.roi = _roi(avatar.change_mask, margin=2)
        self.step = int(np.clip(round(face_width(avatar.points) / 40), 2, 12))
        self._scale = self.rig.face_height
        self._origin = avatar.points[:, :2].mean(0)
        self._setup_tensors(width, height)

    # --- set-up ------------------------------------------------------------

    def _setup_tensors(self, width: int, height: int) -> None:
        dev, roi = self.device, self.roi
        pad = int(math.ceil(0.05 * self.rig.face_height)) + 4
        self.src = Box(max(0, roi.x0 - pad), max(0, roi.y0 - pad),
                       min(width, roi.x1 + pad), min(height, roi.y1 + pad))  # fmt: skip
        crop = self.avatar.image[self.src.y0 : self.src.y1, self.src.x0 : self.src.x1]
        self.source = _to_tensor(crop, dev)[None]
        self.src_offset = torch.tensor([self.src.x0, self.src.y0], dtype=torch.float32, device=dev)
        self.src_scale = torch.tensor(
            [2 / max(self.src.width - 1, 1), 2 / max(self.src.height - 1, 1)],
            dtype=torch.float32,
            device=dev,
        )
        still = self.avatar.image[roi.y0 : roi.y1, roi.x0 : roi.x1]
        self.still = _to_tensor(still, dev)[None]
        mask = self.avatar.change_mask[roi.y0 : roi.y1, roi.x0 : roi.x1]
        self.mask = torch.from_numpy(np.ascontiguousarray(mask)).to(dev)[None, None]
        xs = np.linspace(roi.x0, roi.x1 - 1, max(2, math.ceil((roi.width - 1) / self.step) + 1))
        ys = np.linspace(roi.y0, roi.y1 - 1, max(2, math.ceil((roi.height - 1) / self.step) + 1))
        gx, gy = np.meshgrid(xs, ys)
        self.coarse_shape = gx.shape
        if dev.type == "cpu":  # for the compiled passes (_warp_loop, _blend_loop)
            self._still_np = self.still[0].numpy()
            self._mask_np = np.ascontiguousarray(mask, dtype=np.float32)
            self._source_np = np.ascontiguousarray(crop, dtype=np.float32)
            self._still_bytes = np.ascontiguousarray(still)
            self._rows = _lerp_table(roi.height, len(ys))
            self._cols = _lerp_table(roi.width, len(xs))
        self.coarse = torch.from_numpy(np.stack([gx, gy], -1).reshape(-1, 2).astype(np.float32))
        self.coarse = self.coarse.to(dev)
        self.head_weight = self._coarse_map(_erode(self.avatar.change_mask, self._erosion()))
        self._setup_lower_face(gx, gy)
        self._setup_rig(dev)

    def _setup_lower_face(self, gx: np.ndarray, gy: np.ndarray) -> None:
        """Coarse points where the spline acts (nose to neck, jaw to jaw) and their weights.

        The weight is the change mask, faded to 0 towards the region's edges so
        the spline's displacement meets the still parts of the face smoothly.
        """
        points, height = self.avatar.points, self.rig.face_height
        jaw_x = points[list(lm.JAW), 0]
        x0, x1 = jaw_x.min() - 0.08 * height, jaw_x.max() + 0.08 * height
        y0, y1 = points[lm.NOSE_TIP, 1], points[lm.CHIN, 1] + 0.42 * height
        ramp = 0.12 * height
        fade = np.minimum.reduce([gx - x0, x1 - gx, gy - y0, y1 - gy]) / ramp
        weight = np.clip(fade, 0, 1).reshape(-1)
        mask = self._coarse_map(self.avatar.change_mask).cpu().numpy()
        keep = np.nonzero(weight * mask > 0)[0]
        self.lower_index = torch.from_numpy(keep).to(self.device)
        self.lower_weight = torch.from_numpy((weight * mask)[keep].astype(np.float32)).to(
            self.device
        )

    def _erosion(self) -> int:
        return max(2, round(0.06 * self.rig.face_height))

    def _coarse_map(self, full: np.ndarray) -> torch.Tensor:
        xy = self.coarse.cpu().numpy().round().astype(int)
        return torch.from_numpy(full[xy[:, 1], xy[:, 0]].astype(np.float32)).to(self.device)

    def _setup_rig(self, dev: torch.device) -> None:
        rig = self.rig
        self.ctrl_source = torch.from_numpy(rig.source).to(dev)
        self.ctrl_closing = torch.from_numpy(rig.closing).to(dev)
        self.ctrl_basis = torch.from_numpy(rig.basis).to(dev)
        self.upper_teeth = torch.from_numpy(rig.upper_teeth).to(dev)
        self.seam = torch.from_numpy(rig.seam).to(dev)
        self.pivot = torch.tensor(self._pivot(), dtype=torch.float32, device=dev)
        palette = self.avatar.palette
        self.colours = {
            name: torch.tensor(getattr(palette, name), dtype=torch.float32, device=dev)
            for name in ("cavity", "teeth", "tongue")
        }
        # A photo with an open mouth is closed by the warp; its squeezed teeth are then
        # covered by a drawn lip line, so every frame gets its mouth painted.
        self.paint_closed = bool(np.abs(rig.closing).max() > 0.5)
        if self.paint_closed:
            lips = np.array(palette.lips, dtype=np.float32)
            self.colours["lips"] = torch.from_numpy(lips).to(dev)
        self.eyes = eyes.eyes_of(self.avatar.points, margin=0.02 * rig.face_height + 2)
        self.lids = [
            (torch.from_numpy(e.upper).to(dev), torch.from_numpy(e.lower).to(dev))
            for e in self.eyes
        ]

    def _pivot(self) -> np.ndarray:
        """Where the head turns about: the middle of the neck, below the chin."""
        chin = self.avatar.points[152, :2]
        return np.array([chin[0], chin[1] + 0.25 * self.rig.face_height])

    # --- rendering -----------------------------------------------------------

    def render(
        self, rig: np.ndarray, head: np.ndarray, tongue: np.ndarray, reuse: bool = False
    ) -> Iterator[np.ndarray]:
        """Frames (H, W, 3) ``uint8``, one per row of ``rig`` (F, 6), rendered in batches.

        Args:
            rig: rig parameters per frame (see :mod:`avatar.lipsync.geometry`).
            head: idle head motion per frame (dx, dy, roll) in pixels and radians.
            tongue: tongue raise per frame, 0..1.
            reuse: write the frames into two buffers in turn instead of a new copy of
                the photo each (outside the ROI they are the photo already): a frame
                then stays as it was only until the one after the next is read. For
                consumers that use each frame before asking for the next (the
                compositor), not for those that keep them.
        """
        buffers = [self.avatar.image.copy(), self.avatar.image.copy()] if reuse else None
        batches = [
            (rig[a : a + self.batch_size], head[a : a + self.batch_size],
             tongue[a : a + self.batch_size])
            for a in range(0, len(rig), self.batch_size)
        ]  # fmt: skip
        # The next batch is rendered on a thread of its own while the caller uses this
        # one's frames (torch's kernels run outside the GIL, as do the compositor's).
        ahead = _ahead()
        pending = ahead.submit(self._rois, *batches[0]) if batches else None
        for k in range(len(batches)):
            rois = pending.result()
            if k + 1 < len(batches):
                pending = ahead.submit(self._rois, *batches[k + 1])
            yield from self._paste(rois, buffers)

    def render_rois(self, rig: np.ndarray, head: np.ndarray, tongue: np.ndarray) -> np.ndarray:
        """The ROI of each frame of a batch, (B, h, w, 3) ``uint8``."""
        return self._rois(rig, head, tongue).contiguous().numpy()

    @torch.inference_mode()
    def _rois(self, rig: np.ndarray, head: np.ndarray, tongue: np.ndarray) -> torch.Tensor:
        """:meth:`render_rois` as a contiguous CPU tensor (B, h, w, 3)."""
        dev = self.device
        q = torch.from_numpy(np.ascontiguousarray(rig, dtype=np.float32)).to(dev)
        motion = torch.from_numpy(np.ascontiguousarray(head, dtype=np.float32)).to(dev)
        targets = (
            self.ctrl_source + self.ctrl_closing + torch.einsum("bk,knd->bnd", q, self.ctrl_basis)
        )
        warp = _warp_kernel() if dev.type == "cpu" else None
        if warp is not None:
            return self._rois_compiled(warp, q, motion, targets, tongue)
        grid = self._grid(targets, motion)
        self._blink(grid, motion, q[:, 5])
        warped = F.grid_sample(
            self.source.expand(len(q), -1, -1, -1), grid, mode="bilinear",
            padding_mode="border", align_corners=True,
        )  # fmt: skip
        # Batches are rendered ahead, while the compositor works: the float tensors are
        # let go as soon as they are used, and blended in place, to keep the peak down.
        del grid
        self._paint_mouths(warped, targets, motion, q, tongue)
        blend = _blend_kernel() if warped.device.type == "cpu" else None
        if blend is not None:
            # One compiled pass from the float frames to channels-last bytes (torch's
            # lerp, round, clamp and byte conversion took 26 ms a batch of 16 374x690
            # ROIs, this 11; and the paste into each frame is then a plain copy).
            out = np.empty((len(q), self.roi.height, self.roi.width, 3), np.uint8)
            blend(warped.numpy(), self._still_np, self._mask_np, out)
            return torch.from_numpy(out)
        out = torch.lerp(self.still, warped, self.mask, out=warped).add_(0.5).clamp_(0, 255)
        return out.to(torch.uint8).permute(0, 2, 3, 1).contiguous().cpu()

    def _paste(self, rois: torch.Tensor, buffers: list | None = None) -> Iterator[np.ndarray]:
        roi = self.roi
        # numpy's copy, not torch's copy_: 0.05 ms a 374x690 ROI against 0.6 (measured),
        # once for every frame of the video on the compositor's thread.
        for patch in rois.numpy():
            if buffers is None:
                frame = self.avatar.image.copy()
            else:
                frame = buffers.pop(0)
                buffers.append(frame)
                frame.flags.writeable = True
            frame[roi.y0 : roi.y1, roi.x0 : roi.x1] = patch
            frame.flags.writeable = False
            yield frame

    def _rois_compiled(self, warp, q, motion, targets, tongue) -> torch.Tensor:
        """:meth:`_rois` on the CPU: the spline and the mouth in torch, the pixels in
        compiled passes. One pass upsamples the coarse field, samples the photo and blends
        the result into it, straight to bytes, and copies the photo where the change mask
        is 0. torch's interpolate, grid_sample and the blend took 4.9 ms a frame of a
        403x576 ROI on one thread; this pass 2.8, with no float frames in memory.
        Then the eyes' boxes are done again with the lids' displacement, and the mouths'
        box of the open frames is sampled to floats, painted and blended."""
        batch = len(q)
        coarse = (self._coarse_source(targets, motion) - self.src_offset).reshape(
            batch, *self.coarse_shape, 2
        )
        coarse = np.ascontiguousarray(coarse.numpy())
        out = np.empty((batch, self.roi.height, self.roi.width, 3), np.uint8)
        whole = (0, 0, self.roi.width, self.roi.height)
        self._warp_into(warp, coarse, whole, out=out)
        for dy, box in self._blink_fields(motion, q[:, 5]):
            self._warp_into(warp, coarse, box, out=out, dy=np.ascontiguousarray(dy.numpy()))
        plan = self._mouth_plan(targets, motion, q, tongue)
        if plan is not None:
            open_frames, paint, (x0, y0, x1, y1) = plan
            index = open_frames.numpy()
            part = np.empty((len(index), 3, y1 - y0, x1 - x0), np.float32)
            self._warp_into(warp, np.ascontiguousarray(coarse[index]), (x0, y0, x1, y1),
                            floats=part)  # fmt: skip
            paint(torch.from_numpy(part))
            painted = np.empty((len(index), y1 - y0, x1 - x0, 3), np.uint8)
            still = np.ascontiguousarray(self._still_np[:, y0:y1, x0:x1])
            mask = np.ascontiguousarray(self._mask_np[y0:y1, x0:x1])
            _blend_kernel()(part, still, mask, painted)
            out[index, y0:y1, x0:x1] = painted
        return torch.from_numpy(out)

    def _warp_into(self, warp, coarse, box, out=None, floats=None, dy=None) -> None:
        """Run the compiled warp over BOX (ROI pixels): blended bytes into OUT, or the
        plain warp into FLOATS (B, 3, h, w); DY (B, h, w) is added to the source rows."""
        rows, cols = self._rows, self._cols
        dy = _NO_DY if dy is None else dy
        out = _NO_BYTES if out is None else out
        floats = _NO_FLOATS if floats is None else floats
        warp(coarse, rows[0], rows[1], cols[0], cols[1], self._source_np, self._still_bytes,
             self._mask_np, dy, *box, out, floats)  # fmt: skip

    def _coarse_source(self, targets: torch.Tensor, motion: torch.Tensor) -> torch.Tensor:
        """Where each coarse grid point comes from (B, G, 2), in image pixels: the head's
        idle motion undone, and the spline's displacement over the lower face."""
        batch = targets.shape[0]
        g = self.coarse[None].expand(batch, -1, -1)
        unmoved = _undo_head_motion(g, motion, self.pivot)
        source = g + self.head_weight[None, :, None] * (unmoved - g)
        lower = source[:, self.lower_index]
        warped = self._tps(targets, lower)
        source[:, self.lower_index] = lower + self.lower_weight[None, :, None] * (warped - lower)
        return source

    def _grid(self, targets: torch.Tensor, motion: torch.Tensor) -> torch.Tensor:
        """``grid_sample`` coordinates (B, h, w, 2): where each output pixel comes from.

        Source positions are computed on the coarse grid and upsampled
        bilinearly; the coarse grid's corners are the ROI's corner pixels, so
        the upsampled identity is exact.
        """
        batch = targets.shape[0]
        source = self._coarse_source(targets, motion)
        source = (source - self.src_offset) * self.src_scale - 1  # to -1..1 over the crop
        # Channels-first in memory: from the channels-last strides the reshape leaves,
        # interpolate took 40 ms a batch of 16 (a 374x690 ROI) instead of 11.
        coarse = source.transpose(1, 2).reshape(batch, 2, *self.coarse_shape).contiguous()
        fine = F.interpolate(coarse, size=(self.roi.height, self.roi.width), mode="bilinear",
                             align_corners=True)  # fmt: skip
        return fine.permute(0, 2, 3, 1)

    def _blink(self, grid: torch.Tensor, motion: torch.Tensor, closure: torch.Tensor) -> None:
        """Add the eyelid warp of both eyes to ``grid`` (in place)."""
        for dy, (x0, y0, x1, y1) in self._blink_fields(motion, closure):
            grid[:, y0:y1, x0:x1, 1] += dy * self.src_scale[1]

    def _blink_fields(self, motion: torch.Tensor, closure: torch.Tensor):
        """Each eye's lid displacement (B, h, w) in source rows and its box in the ROI
        (x0, y0, x1, y1), for a batch with a blink in it."""
        if float(closure.max()) <= 0:
            return
        origin = (self.roi.x0, self.roi.y0)
        offset = torch.tensor(origin, dtype=torch.float32, device=self.device)
        batch = len(closure)
        for eye, (upper, lower) in zip(self.eyes, self.lids, strict=True):
            up = _apply_head_motion(upper[None].expand(batch, -1, -1), motion, self.pivot) - offset
            low = _apply_head_motion(lower[None].expand(batch, -1, -1), motion, self.pivot) - offset
            dy, (x0, y0, x1, y1) = eyes.blink_field(eye, up, low, closure, origin)
            cx0, cy0 = max(0, x0), max(0, y0)
            cx1, cy1 = min(self.roi.width, x1), min(self.roi.height, y1)
            if cx1 > cx0 and cy1 > cy0:
                yield dy[:, cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0], (cx0, cy0, cx1, cy1)

    def _tps(self, targets: torch.Tensor, points: torch.Tensor) -> torch.Tensor:
        """Thin-plate spline through targets -> sources, evaluated at points (B, G, 2)."""
        origin = torch.as_tensor(self._origin, device=self.device)
        t = (targets - origin) / self._scale
        s = (self.ctrl_source - origin) / self._scale
        p = (points - origin) / self._scale
        weights = _tps_solve(t, s.expand(len(t), -1, -1))
        kernel = _tps_kernel(torch.cdist(p, t))
        affine = torch.cat([torch.ones_like(p[..., :1]), p], dim=-1)
        n = t.shape[1]
        mapped = kernel @ weights[:, :n] + affine @ weights[:, n:]
        return mapped * self._scale + origin

    def _paint_mouths(self, warped, targets, motion, q, tongue) -> None:
        """Paint the mouth interior of the frames whose lips are apart (in place)."""
        plan = self._mouth_plan(targets, motion, q, tongue)
        if plan is None:
            return
        open_frames, paint, (x0, y0, x1, y1) = plan
        region = warped[:, :, y0:y1, x0:x1]
        if len(open_frames) == len(warped):
            paint(region)  # a view: painted in place
            return
        # Only the box's pixels of the open frames are copied out and back (copying
        # whole frames cost 0.8 ms a frame for a 374x690 ROI).
        part = region[open_frames]
        paint(part)
        region[open_frames] = part

    def _mouth_plan(self, targets, motion, q, tongue):
        """The frames whose lips are apart (indices), a painter for their mouths and the
        box (ROI pixels) it paints, or None when no mouth of the batch is open."""
        state = self._mouth_state(targets, motion, q, tongue)
        gap = (state.lower_lip[:, 1:-1, 1] - state.upper_lip[:, 1:-1, 1]).amax(dim=1)
        threshold = -1.0 if self.paint_closed else mouth.GAP_PX + 0.5
        open_frames = torch.nonzero(gap > threshold).flatten()
        if len(open_frames) == 0:
            return None
        subset = mouth.MouthPaint(*(getattr(state, f)[open_frames] for f in mouth.FIELDS))
        box = self._paint_box(subset)
        if box is None:
            return None
        photo = self._teeth_photo(subset, box) if self.avatar.teeth_in_photo else None
        paint = functools.partial(mouth.paint, box=box, state=subset, colours=self.colours,
                                  mouth_width=self.rig.mouth.width, teeth_photo=photo)  # fmt: skip
        return open_frames, paint, box

    def _teeth_photo(self, state: mouth.MouthPaint, box) -> torch.Tensor:
        """The photo over BOX (B, 3, h, w), moved as the head moved: where its own upper
        teeth are in each frame (they ride on the skull, not on the lips)."""
        rest = self.upper_teeth.mean(0) - torch.tensor(
            [self.roi.x0, self.roi.y0], dtype=torch.float32, device=self.device
        )
        shift = state.upper_teeth.mean(1) - rest  # (B, 2) pixels
        x0, y0, x1, y1 = box
        xs = torch.arange(x0, x1, device=self.device, dtype=torch.float32)
        ys = torch.arange(y0, y1, device=self.device, dtype=torch.float32)
        gy, gx = torch.meshgrid(ys, xs, indexing="ij")
        size = torch.tensor(
            [max(self.roi.width - 1, 1), max(self.roi.height - 1, 1)], device=self.device
        )
        where = torch.stack([gx, gy], -1)[None] - shift[:, None, None, :]
        grid = where / size * 2 - 1
        still = self.still.expand(len(shift), -1, -1, -1)
        return F.grid_sample(
            still, grid, mode="bilinear", padding_mode="border", align_corners=True
        )

    def _paint_box(self, state: mouth.MouthPaint) -> tuple[int, int, int, int] | None:
        """The smallest box (ROI pixels) holding every open mouth of a batch."""
        lips = torch.cat([state.upper_lip, state.lower_lip, state.upper_teeth], dim=1)
        low, high = lips.amin(dim=(0, 1)), lips.amax(dim=(0, 1))
        m = self.rig.mouth.width
        x0 = max(0, int(low[0]) - 1)
        y0 = max(0, int(low[1] - 0.03 * m) - 1)
        x1 = min(self.roi.width, int(high[0]) + 2)
        y1 = min(self.roi.height, int(high[1]) + 2)
        return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None

    def _mouth_state(self, targets, motion, q, tongue) -> mouth.MouthPaint:
        rig, roi = self.rig, self.roi
        offset = torch.tensor([roi.x0, roi.y0], dtype=torch.float32, device=self.device)
        batch = targets.shape[0]

        def moved(curve: torch.Tensor) -> torch.Tensor:
            return _apply_head_motion(curve, motion, self.pivot) - offset

        fixed = {"upper_teeth": self.upper_teeth, "seam": self.seam}
        fixed = {k: v[None].expand(batch, -1, -1) for k, v in fixed.items()}
        return mouth.MouthPaint(
            upper_lip=moved(targets[:, rig.inner_upper]),
            lower_lip=moved(targets[:, rig.inner_lower]),
            upper_teeth=moved(fixed["upper_teeth"]),
            seam=moved(fixed["seam"]),
            open=q[:, 0],
            spread=q[:, 1],
            round=q[:, 2],
            tongue=torch.from_numpy(np.asarray(tongue, np.float32)).to(self.device),
        )


# --- helpers -------------------------------------------------------------------


def _blend_kernel():
    """:func:`_blend_loop` compiled, or None without numba (torch's ops do it)."""
    return compiled(_blend_loop, fastmath=True)


def _blend_loop(warped, still, mask, out):  # pragma: no cover - runs compiled
    """``out[b, y, x, c] = round(still + mask * (warped - still))``, clamped to bytes:
    warped (B, 3, h, w) and still (3, h, w) float32, mask (h, w), out (B, h, w, 3) uint8.
    torch's lerp computes the same but for the last bit of a few pixels (one level)."""
    half, top = np.float32(0.5), np.float32(255.0)
    for b in range(warped.shape[0]):
        for y in range(warped.shape[2]):
            for x in range(warped.shape[3]):
                m = mask[y, x]
                for c in range(3):
                    s = still[c, y, x]
                    v = s + m * (warped[b, c, y, x] - s) + half
                    out[b, y, x, c] = np.uint8(min(max(v, np.float32(0.0)), top))


def _warp_kernel():
    """:func:`_warp_loop` compiled, or None without numba (torch's ops do it)."""
    return compiled(_warp_loop, fastmath=True)


_NO_DY = np.zeros((0, 0, 0), np.float32)
_NO_BYTES = np.zeros((0, 0, 0, 0), np.uint8)
_NO_FLOATS = np.zeros((0, 0, 0, 0), np.float32)


def _lerp_table(fine: int, coarse: int) -> tuple[np.ndarray, np.ndarray]:
    """For each of FINE positions, the COARSE cell it falls in and its weight towards the
    next one: bilinear upsampling with the corners aligned (F.interpolate's
    ``align_corners=True``)."""
    scale = np.float32((coarse - 1) / (fine - 1)) if fine > 1 else np.float32(0)
    where = np.arange(fine, dtype=np.float32) * scale
    cell = np.minimum(where.astype(np.int64), coarse - 1)
    return cell, (where - cell).astype(np.float32)


def _warp_loop(  # noqa: C901 - one compiled loop: helpers would have to be compiled too
    coarse, rows, row_w, cols, col_w, source, still, mask, dy, x0, y0, x1, y1, out, floats
):  # pragma: no cover - runs compiled
    """Warp the photo over the box (x0, y0, x1, y1) of the ROI, every frame of a batch.

    coarse (B, ch, cw, 2): where the coarse grid's points come from, in pixels of
    ``source`` (the photo around the ROI, (H, W, 3) float32); rows/row_w and
    cols/col_w: :func:`_lerp_table` of the ROI's height and width. A pixel's source is
    the coarse field upsampled bilinearly, plus ``dy`` (B, h, w) on its row where given,
    clamped to the photo's edge (grid_sample's ``border``); the photo is sampled
    bilinearly there. With ``floats`` (B, 3, h, w) given, the samples go there as they
    are; else they are blended into ``still`` (the ROI's photo, (h, w, 3) bytes)
    through ``mask`` and written to ``out`` (B, h, w, 3) as bytes, and the pixels the
    mask leaves alone are the photo's, unread.
    """
    height, width = source.shape[0], source.shape[1]
    ch, cw = coarse.shape[1], coarse.shape[2]
    to_floats, moved = floats.shape[0] > 0, dy.shape[0] > 0
    right, bottom = np.float32(width - 1), np.float32(height - 1)
    one, half, top, zero = np.float32(1), np.float32(0.5), np.float32(255), np.float32(0)
    across = np.empty((cw, 2), np.float32)  # the coarse field on this output row
    sx_row = np.empty(x1 - x0, np.float32)
    sy_row = np.empty(x1 - x0, np.float32)
    for b in range(coarse.shape[0]):
        for y in range(y0, y1):
            r0 = rows[y]
            r1 = min(r0 + 1, ch - 1)
            b1 = row_w[y]
            b0 = one - b1
            for k in range(cw):
                across[k, 0] = b0 * coarse[b, r0, k, 0] + b1 * coarse[b, r1, k, 0]
                across[k, 1] = b0 * coarse[b, r0, k, 1] + b1 * coarse[b, r1, k, 1]
            for i in range(x1 - x0):
                k0 = cols[x0 + i]
                k1 = min(k0 + 1, cw - 1)
                a1 = col_w[x0 + i]
                a0 = one - a1
                sx = a0 * across[k0, 0] + a1 * across[k1, 0]
                sy = a0 * across[k0, 1] + a1 * across[k1, 1]
                if moved:
                    sy += dy[b, y - y0, i]
                sx_row[i] = min(max(sx, zero), right)
                sy_row[i] = min(max(sy, zero), bottom)
            for i in range(x1 - x0):
                x = x0 + i
                m = mask[y, x]
                if m == zero and not to_floats:
                    for c in range(3):
                        out[b, y, x, c] = still[y, x, c]
                    continue
                sx, sy = sx_row[i], sy_row[i]
                ix, iy = min(int(sx), width - 2), min(int(sy), height - 2)
                fx, fy = sx - ix, sy - iy
                for c in range(3):
                    upper = source[iy, ix, c] + fx * (source[iy, ix + 1, c] - source[iy, ix, c])
                    lower = source[iy + 1, ix, c] + fx * (
                        source[iy + 1, ix + 1, c] - source[iy + 1, ix, c]
                    )
                    v = upper + fy * (lower - upper)
                    if to_floats:
                        floats[b, c, y - y0, i] = v
                    else:
                        s = np.float32(still[y, x, c])
                        out[b, y, x, c] = np.uint8(min(max(s + m * (v - s) + half, zero), top))


def _to_tensor(image: np.ndarray, device: torch.device) -> torch.Tensor:
    array = np.ascontiguousarray(image.transpose(2, 0, 1), dtype=np.float32)
    return torch.from_numpy(array).to(device)


def _roi(mask: np.ndarray, margin: int) -> Box:
    ys, xs = np.nonzero(mask > 0)
    height, width = mask.shape
    x0, y0 = max(0, int(xs.min()) - margin), max(0, int(ys.min()) - margin)
    return Box(
        x0, y0, min(width, int(xs.max()) + 1 + margin), min(height, int(ys.max()) + 1 + margin)
    )


def _erode(mask: np.ndarray, radius: int) -> np.ndarray:
    """Shrink a soft mask by ``radius`` pixels and soften its edge by as much."""
    from scipy import ndimage

    shrunk = ndimage.minimum_filter(mask, size=2 * radius + 1)
    return ndimage.gaussian_filter(shrunk, sigma=radius / 2).astype(np.float32)


def _rotation(motion: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    angle = motion[:, 2]
    return torch.cos(angle)[:, None], torch.sin(angle)[:, None]


def _apply_head_motion(points: torch.Tensor, motion: torch.Tensor, pivot) -> torch.Tensor:
    """Forward head motion: rotate about the pivot, then shift."""
    cos, sin = _rotation(motion)
    rel = points - pivot
    x = cos * rel[..., 0] - sin * rel[..., 1]
    y = sin * rel[..., 0] + cos * rel[..., 1]
    return torch.stack([x, y], -1) + pivot + motion[:, None, :2]


def _undo_head_motion(points: torch.Tensor, motion: torch.Tensor, pivot) -> torch.Tensor:
    """Inverse of :func:`_apply_head_motion`: where an output point was in the photo."""
    cos, sin = _rotation(motion)
    rel = points - pivot - motion[:, None, :2]
    x = cos * rel[..., 0] + sin * rel[..., 1]
    y = -sin * rel[..., 0] + cos * rel[..., 1]
    return torch.stack([x, y], -1) + pivot


def _tps_kernel(distance: torch.Tensor) -> torch.Tensor:
    squared = distance.square()
    return squared * torch.log(squared.clamp_min(1e-12))


def _tps_solve(targets: torch.Tensor, sources: torch.Tensor) -> torch.Tensor:
    """Spline weights (B, N + 3, 2) mapping targets (B, N, 2) onto sources."""
    batch, n, _ = targets.shape
    t = targets.double()
    kernel = _tps_kernel(torch.cdist(t, t))
    kernel = kernel + TPS_REGULARISATION * torch.eye(n, dtype=t.dtype, device=t.device)
    affine = torch.cat([torch.ones_like(t[..., :1]), t], dim=-1)
    system = torch.zeros(batch, n + 3, n + 3, dtype=t.dtype, device=t.device)
    system[:, :n, :n] = kernel
    system[:, :n, n:] = affine
    system[:, n:, :n] = affine.transpose(1, 2)
    rhs = torch.zeros(batch, n + 3, 2, dtype=t.dtype, device=t.device)
    rhs[:, :n] = sources.double()
    return torch.linalg.solve(system, rhs).to(targets.dtype)
