"""The baseline for SEG to COCO RLE: pydicom pixel_array, numpy to split each frame by segment, pycocotools
mask.encode (plus area and toBbox, which CocoTools also computes). Times from dcmread to the last RLE; prints a
RESULT line."""
import sys
import time

import numpy as np
import pycocotools.mask as mask_utils
import pydicom

start = time.perf_counter()
d = pydicom.dcmread(sys.argv[1])
pixels = d.pixel_array
if pixels.ndim == 2:
    pixels = pixels[None]
labelmap = d.SegmentationType == "LABELMAP"
out = []
for i, group in enumerate(d.PerFrameFunctionalGroupsSequence):
    source = group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
    frame = pixels[i]
    if labelmap:
        masks = [(int(v), frame == v) for v in np.unique(frame) if v != 0]
    else:
        masks = [(int(group.SegmentIdentificationSequence[0].ReferencedSegmentNumber), frame != 0)]
    for number, m in masks:
        rle = mask_utils.encode(np.asfortranarray(m.astype(np.uint8)))
        out.append((source, number, rle, int(mask_utils.area(rle)), mask_utils.toBbox(rle)))
elapsed = time.perf_counter() - start
print(f"RESULT\t{elapsed:.3f}\t{len(out)} RLE masks", flush=True)
