"""The expected masks of a SEG, from the standard with an independent path (pydicom for the attributes, numpy for
the bit stream), compared with a COCO file CocoTools wrote, as pycocotools loads it (annToMask).

argv: seg path, coco json path, fractional threshold, and "polygon" to accept polygons whose pycocotools
rasterization has IoU >= 0.98 with the mask (RLE must still be exact). Prints one JSON line: {"compared", "unplaced", "problems"}.
"""
import json
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pycocotools.coco import COCO

seg_path, coco_path, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
polygon_mode = len(sys.argv) > 4 and sys.argv[4] == "polygon"
d = pydicom.dcmread(seg_path)
rows, cols = d.Rows, d.Columns
n = int(getattr(d, "NumberOfFrames", 1))
raw = np.frombuffer(d.PixelData, np.uint8)
if d.BitsAllocated == 1:
    # One continuous bit stream, least significant bit first; frame k starts at bit k*rows*cols.
    pixels = np.unpackbits(raw, bitorder="little")[: n * rows * cols].reshape(n, rows, cols)
elif d.BitsAllocated == 8:
    pixels = raw[: n * rows * cols].reshape(n, rows, cols)
else:
    pixels = np.frombuffer(d.PixelData, "<u2")[: n * rows * cols].reshape(n, rows, cols)

seg_type = d.SegmentationType
labels = {int(s.SegmentNumber): str(s.SegmentLabel) for s in d.SegmentSequence}
shared = d.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in d else Dataset()
expected = {}
for i, group in enumerate(d.PerFrameFunctionalGroupsSequence):
    source = None
    if "DerivationImageSequence" in group:
        src = group.DerivationImageSequence[0].SourceImageSequence[0]
        source = (str(src.ReferencedSOPInstanceUID), int(src.ReferencedFrameNumber) if "ReferencedFrameNumber" in src else None)
    else:
        source = ("z", float(group.PlanePositionSequence[0].ImagePositionPatient[2]))
    if seg_type == "LABELMAP":
        masks = {int(v): pixels[i] == v for v in np.unique(pixels[i]) if v != 0}
    else:
        holder = group if "SegmentIdentificationSequence" in group else shared
        number = int(holder.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        if seg_type == "BINARY":
            masks = {number: pixels[i] == 1}
        else:
            masks = {number: (pixels[i] >= threshold * int(d.MaximumFractionalValue)) & (pixels[i] > 0)}
    for number, mask in masks.items():
        if mask.any():
            key = (number, source)
            expected[key] = expected.get(key, np.zeros((rows, cols), bool)) | mask

coco = COCO(coco_path)
images = {}
for image in coco.dataset["images"]:
    dicom = image.get("dicom", {})
    images[(dicom.get("SOPInstanceUID"), dicom.get("frame"))] = image["id"]
    if "ImagePositionPatient" in dicom:
        images[("z", float(dicom["ImagePositionPatient"][2]))] = image["id"]
categories = {c["id"]: c["name"] for c in coco.dataset["categories"]}
sop = str(d.SOPInstanceUID)
mine = [a for a in coco.dataset["annotations"] if a.get("attributes", {}).get("SegmentationSOPInstanceUID") == sop]
compared, unplaced, problems = 0, 0, []
for (number, source), mask in sorted(expected.items(), key=lambda kv: str(kv[0])):
    image_id = images.get(source) or (images.get((source[0], None)) if source[1] == 1 else None)
    if image_id is None:
        unplaced += 1
        continue
    found = [a for a in mine if a["image_id"] == image_id and a["attributes"]["SegmentNumber"] == number]
    if len(found) != 1:
        problems.append(f"segment {number} on {source}: {len(found)} annotations")
        continue
    a = found[0]
    got = coco.annToMask(a).astype(bool)
    if polygon_mode and isinstance(a["segmentation"], list):
        iou = (got & mask).sum() / (got | mask).sum()
        if iou < 0.98:
            problems.append(f"segment {number} on {source}: polygon IoU {iou:.4f}")
    elif not np.array_equal(got, mask):
        problems.append(f"segment {number} on {source}: {int((got != mask).sum())} pixels differ")
    if categories[a["category_id"]] != labels.get(number, f"Segment {number}"):
        problems.append(f"segment {number}: category {categories[a['category_id']]!r}, label {labels.get(number)!r}")
    if not isinstance(a["segmentation"], list) and a["area"] != int(mask.sum()):
        problems.append(f"segment {number} on {source}: area {a['area']} != {int(mask.sum())}")
    compared += 1
if len(mine) != compared:
    problems.append(f"{len(mine)} annotations of this SEG, {compared} expected ones placed")
print(json.dumps({"compared": compared, "unplaced": unplaced, "problems": problems}))
