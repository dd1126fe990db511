"""Indices into MediaPipe's 478-point face mesh, grouped by what moves together.

"Right" and "left" are the subject's: the subject's right eye is on the
image's left.
"""

from __future__ import annotations

import numpy as np

# Lips, each contour from the image-left corner to the image-right corner.
OUTER_UPPER = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291)
OUTER_LOWER = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291)
INNER_UPPER = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308)
INNER_LOWER = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
MOUTH_CORNERS = (61, 291)

# Eyelids, paired upper/lower from the outer to the inner corner.
RIGHT_EYE_UPPER = (246, 161, 160, 159, 158, 157, 173)
RIGHT_EYE_LOWER = (7, 163, 144, 145, 153, 154, 155)
LEFT_EYE_UPPER = (466, 388, 387, 386, 385, 384, 398)
LEFT_EYE_LOWER = (249, 390, 373, 374, 380, 381, 382)
EYE_CORNERS = (33, 133, 263, 362)
RIGHT_EYE_RING = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
LEFT_EYE_RING = (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249)
RIGHT_IRIS = (468, 469, 470, 471, 472)
LEFT_IRIS = (473, 474, 475, 476, 477)
BROWS = (70, 63, 105, 66, 107, 300, 293, 334, 296, 336)
# Skin under the lower lids: held still so a blink moves only the upper lid.
UNDER_EYES = (111, 117, 118, 119, 120, 121, 340, 346, 347, 348, 349, 350)

# The face outline, clockwise from the top of the forehead.
FACE_OVAL = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378,
    400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21,
    54, 103, 67, 109,
)  # fmt: skip
CHIN = 152
# The lower jaw's outline (moves when the mouth opens), chin included.
JAW = (361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132)
# Skin between the lower lip and the chin, top to bottom.
CHIN_FRONT = (18, 200, 199, 175)
# Cheek skin beside and below the mouth corners: follows the jaw and the lip width a little.
CHEEKS_LOW = (57, 287, 43, 273, 204, 424, 202, 422, 210, 430, 214, 434, 32, 262, 208, 428)
# Held still: nose, cheekbones, upper lip skin below the nose.
NOSE = (1, 2, 4, 5, 98, 327, 164, 94, 195, 197, 48, 278)
CHEEKS_HIGH = (50, 280, 205, 425, 187, 411, 36, 266, 203, 423)
NOSE_TIP = 1
FOREHEAD = 10


def lip_polygon(points: np.ndarray, upper: tuple[int, ...], lower: tuple[int, ...]) -> np.ndarray:
    """A closed polygon (N, 2) around a lip contour pair."""
    return np.concatenate([points[list(upper), :2], points[list(lower[-2:0:-1]), :2]])


def face_width(points: np.ndarray) -> float:
    """Distance between the outline's widest points (cheek to cheek), in pixels."""
    return float(np.linalg.norm(points[234, :2] - points[454, :2]))


def mouth_width(points: np.ndarray) -> float:
    """Distance between the mouth corners, in pixels."""
    return float(np.linalg.norm(points[61, :2] - points[291, :2]))
