"""Writes the segmentation bench inputs into a folder (argv[1]): seg-binary.dcm (BINARY, 1 bit: 60 slices x 5
segments = 300 frames), seg-labelmap.dcm (LABELMAP, 16 bit: 300 slices, labels 1-5), both 512 x 512 with random
ellipses, and images.json, a COCO dataset of the 300 source slices (their dicom members only: no image files are
needed to place a SEG). Uses the test suite's pydicom writer (tests/.../Support/python/make_dicom.py)."""
import json
import os
import subprocess
import sys

out = os.path.abspath(sys.argv[1])
os.makedirs(out, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
writer = os.path.join(here, "..", "..", "tests", "CocoTools.Engine.Tests", "Support", "python", "make_dicom.py")
rows = cols = 512
slices = 300
sop = lambda k: f"1.2.826.0.1.3680043.8.498.500.{k}"
segments = [{"number": n, "label": f"organ {n}", "lab": [30000 + 5000 * n, 40000, 30000]} for n in range(1, 6)]

binary_frames = [
    {"segment": s, "source": sop(k), "z": 2.0 * k, "ellipses": {"seed": 1000 * k + s, "count": 3, "labels": [1]}}
    for k in range(1, 61) for s in range(1, 6)
]
labelmap_frames = [
    {"segment": 0, "source": sop(k), "z": 2.0 * k, "ellipses": {"seed": k, "count": 8, "labels": [1, 2, 3, 4, 5]}}
    for k in range(1, slices + 1)
]
for name, kind, bits, frames in (("seg-binary.dcm", "BINARY", 1, binary_frames), ("seg-labelmap.dcm", "LABELMAP", 16, labelmap_frames)):
    spec = {"out": out, "frame_of_reference": "1.2.826.0.1.3680043.8.498.501",
            "seg": {"file": name, "sop": sop(9000 + bits), "type": kind, "bits": bits, "rows": rows, "cols": cols,
                    "segments": segments, "frames": frames}}
    path = os.path.join(out, name + ".spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    subprocess.run([sys.executable, writer, path], check=True)

images = [{"id": k, "file_name": f"ct/{k:04d}.dcm", "width": cols, "height": rows,
           "dicom": {"SOPInstanceUID": sop(k), "Modality": "CT"}} for k in range(1, slices + 1)]
with open(os.path.join(out, "images.json"), "w") as f:
    json.dump({"images": images, "annotations": [], "categories": []}, f)
