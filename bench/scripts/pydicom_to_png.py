"""The pydicom + numpy + Pillow way of turning DICOM CT slices into windowed 8-bit PNGs, as people script it:
pixel_array, rescale slope/intercept, the file's first window (else min-max), linear window, uint8, PNG.
Usage: pydicom_to_png.py <folder of .dcm> <output folder> [zlib level, default Pillow's 6].
Prints RESULT<tab>seconds<tab>detail."""
import os
import sys
import time

import numpy as np
import pydicom
from PIL import Image

source, target = sys.argv[1], sys.argv[2]
level = int(sys.argv[3]) if len(sys.argv) > 3 else 6
os.makedirs(target, exist_ok=True)
files = sorted(os.path.join(source, f) for f in os.listdir(source) if f.endswith(".dcm"))
start = time.perf_counter()
for path in files:
    ds = pydicom.dcmread(path)
    values = ds.pixel_array.astype(np.float64) * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0))
    center, width = getattr(ds, "WindowCenter", None), getattr(ds, "WindowWidth", None)
    if center is None or width is None:
        low, high = values.min(), values.max()
        center, width = (low + high) / 2, high - low
    else:
        center = float(center[0] if isinstance(center, pydicom.multival.MultiValue) else center)
        width = float(width[0] if isinstance(width, pydicom.multival.MultiValue) else width)
    scaled = ((values - (center - 0.5)) / (width - 1) + 0.5) * 255
    Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8)).save(os.path.join(target, os.path.basename(path)[:-4] + ".png"), compress_level=level)
size = sum(os.path.getsize(os.path.join(target, f)) for f in os.listdir(target))
print(f"RESULT\t{time.perf_counter() - start:.3f}\t{len(files)} files, {size / len(files) / 1024:.0f} KiB per PNG")
