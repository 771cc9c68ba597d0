"""The pydicom way of doing what `Get-ChildItem -Recurse -Filter *.dcm | Add-CocoImage | Export-CocoJson` does:
read each header (stop_before_pixels, force), make one COCO image per frame with the same identifiers and pixel
attributes, and write the JSON. The baseline for the end-to-end Add-CocoImage comparison."""
import json
import os
import sys
import time

import pydicom

start = time.perf_counter()
root = sys.argv[1]
files = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names if f.endswith(".dcm"))
images = []
for path in files:
    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
    except Exception:
        continue
    if "Rows" not in ds or "Columns" not in ds:
        continue
    frames = int(ds.get("NumberOfFrames", 1) or 1) if str(ds.get("NumberOfFrames", "1")).isdigit() else 1
    for frame in range(1, frames + 1):
        dicom = {k: str(ds.get(k)) for k in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID", "Modality") if k in ds}
        if frames > 1:
            dicom["frame"] = frame
        if "PixelSpacing" in ds:
            dicom["PixelSpacing"] = [float(v) for v in ds.PixelSpacing]
        images.append({"id": len(images) + 1, "width": int(ds.Columns), "height": int(ds.Rows),
                       "file_name": os.path.relpath(path, root).replace(os.sep, "/"), "dicom": dicom})
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump({"info": {}, "licenses": [], "images": images, "annotations": [], "categories": []}, f, indent=2)
elapsed = time.perf_counter() - start
print(f"RESULT\t{elapsed:.3f}\t{len(files)} files, {len(images)} images", flush=True)
