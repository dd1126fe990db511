"""The one module that imports MediaPipe: face detection, the face mesh and a person matte.

MediaPipe 0.10.21 is the last wheel that ships its models. It is installed
without its declared dependencies (jax, opencv-contrib, numpy<2): the three
graphs used here need none of them. Two details make that work:

* ``mediapipe/__init__.py`` and ``mediapipe/python/solutions/__init__.py``
  import the drawing helpers, which import OpenCV. The packages are
  registered as empty shells instead, so only the modules used here load.
* The solution classes set their thresholds through a protobuf field that
  protobuf 7 removed (``FieldDescriptor.label``). The graphs are built with
  their default thresholds instead (0.5), which are the ones wanted anyway.
  The bindings also call ``MessageFactory.GetPrototype``, which protobuf 7
  renamed ``message_factory.GetMessageClass``; an alias is added back.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
import threading
import types
from dataclasses import dataclass

import numpy as np

FACE_DETECTION_GRAPH = "mediapipe/modules/face_detection/face_detection_full_range_cpu.binarypb"
FACE_MESH_GRAPH = "mediapipe/modules/face_landmark/face_landmark_front_cpu.binarypb"
SELFIE_GRAPH = "mediapipe/modules/selfie_segmentation/selfie_segmentation_cpu.binarypb"
MAX_FACES = 4

_LOCK = threading.Lock()  # MediaPipe graphs are not safe to share between threads


class FaceModelUnavailable(RuntimeError):
    """MediaPipe is not installed."""


@dataclass(frozen=True)
class Detection:
    """One detected face: a box in pixels (x, y, w, h) and the detector's score."""

    box: tuple[float, float, float, float]
    score: float


def _register_shell(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise FaceModelUnavailable("mediapipe==0.10.21 is not installed")
    shell = types.ModuleType(name)
    shell.__path__ = list(spec.submodule_search_locations)
    shell.__file__ = spec.origin
    sys.modules[name] = shell


def _protobuf_compat() -> None:
    from google.protobuf import message_factory

    if not hasattr(message_factory.MessageFactory, "GetPrototype"):
        message_factory.MessageFactory.GetPrototype = (  # type: ignore[attr-defined]
            lambda self, descriptor: message_factory.GetMessageClass(descriptor)
        )


@functools.cache
def _solution_base():
    _protobuf_compat()
    _register_shell("mediapipe")
    importlib.import_module("mediapipe.python")
    _register_shell("mediapipe.python.solutions")
    # The graphs' calculators register their option protos on import.
    importlib.import_module("mediapipe.python.solutions.face_mesh")
    importlib.import_module("mediapipe.python.solutions.face_detection")
    importlib.import_module("mediapipe.python.solutions.selfie_segmentation")
    return importlib.import_module("mediapipe.python.solution_base").SolutionBase


@functools.cache
def _graph(name: str):
    solution_base = _solution_base()
    if name == "detect":
        return solution_base(binary_graph_path=FACE_DETECTION_GRAPH, outputs=["detections"])
    if name == "mesh":
        side = {"num_faces": MAX_FACES, "with_attention": True, "use_prev_landmarks": False}
        return solution_base(
            binary_graph_path=FACE_MESH_GRAPH, side_inputs=side, outputs=["multi_face_landmarks"]
        )
    return solution_base(
        binary_graph_path=SELFIE_GRAPH,
        side_inputs={"model_selection": 0},
        outputs=["segmentation_mask"],
    )


def available() -> bool:
    """True when the MediaPipe models can be loaded."""
    try:
        _solution_base()
    except (FaceModelUnavailable, ImportError):
        return False
    return True


def detect_faces(rgb: np.ndarray) -> list[Detection]:
    """Faces in an RGB ``uint8`` image, largest first (the full-range detector finds small ones)."""
    height, width = rgb.shape[:2]
    with _LOCK:
        result = _graph("detect").process(np.ascontiguousarray(rgb))
    found = []
    for detection in result.detections or []:
        box = detection.location_data.relative_bounding_box
        pixels = (box.xmin * width, box.ymin * height, box.width * width, box.height * height)
        found.append(Detection(pixels, float(detection.score[0])))
    return sorted(found, key=lambda d: -d.box[2] * d.box[3])


def face_meshes(rgb: np.ndarray) -> list[np.ndarray]:
    """Dense landmarks of each face found: (478, 3) float32 arrays, x and y in pixels.

    z is MediaPipe's relative depth, scaled like x (smaller is nearer the camera).
    """
    height, width = rgb.shape[:2]
    with _LOCK:
        result = _graph("mesh").process(np.ascontiguousarray(rgb))
    meshes = []
    for face in result.multi_face_landmarks or []:
        points = np.array([(p.x, p.y, p.z) for p in face.landmark], dtype=np.float32)
        points *= np.array([width, height, width], dtype=np.float32)
        meshes.append(points)
    return meshes


def person_matte(rgb: np.ndarray) -> np.ndarray:
    """Soft person-versus-background matte, (H, W) float32 in 0..1."""
    with _LOCK:
        result = _graph("selfie").process(np.ascontiguousarray(rgb))
    return np.clip(np.asarray(result.segmentation_mask, dtype=np.float32), 0.0, 1.0)
