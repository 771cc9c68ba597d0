"""Times pydicom's dcmread(f, stop_before_pixels=True, force=True) over every file under a folder: the baseline header scan
(force=True because some samples are raw data sets without file meta, as dcmtk and CocoTools read them)."""
import os
import sys
import time

import pydicom

files = sorted(os.path.join(d, f) for d, _, names in os.walk(sys.argv[1]) for f in names)
start = time.perf_counter()
pixels = 0
failed = 0
for f in files:
    try:
        ds = pydicom.dcmread(f, stop_before_pixels=True, force=True)
        pixels += int(ds.get("Rows", 0) or 0) * int(ds.get("Columns", 0) or 0)
    except Exception:  # pydicom cannot read some files dcmtk reads; they count, as they do for the others
        failed += 1
elapsed = time.perf_counter() - start
print(f"RESULT\t{elapsed:.3f}\t{len(files)} files ({failed} pydicom could not read), {len(files) / elapsed:.0f} files/s", flush=True)
