"""The Python way to the same masks: pydicom reads the structure set and the CT headers, numpy maps the contour
points to pixels, pycocotools rasterizes each contour (frPyObjects, decode), numpy combines them even-odd and
pycocotools encodes one RLE per (ROI, image). Usage (pycocotools importable): python3 rtstruct_python_baseline.py DIR
"""
import glob
import os
import sys
import time

import numpy as np
import pydicom
from pycocotools import mask as M

folder = sys.argv[1]
start = time.time()
rs = pydicom.dcmread(os.path.join(folder, 'rt.dcm'))
images = {}
for path in sorted(glob.glob(os.path.join(folder, 'ct*.dcm'))):
    d = pydicom.dcmread(path, stop_before_pixels=True)
    images[d.SOPInstanceUID] = d
masks = 0
for rc in rs.ROIContourSequence:
    per = {}
    for ct in rc.ContourSequence:
        points = np.array([float(v) for v in ct.ContourData]).reshape(-1, 3)
        d = images[ct.ContourImageSequence[0].ReferencedSOPInstanceUID]
        ipp = np.array([float(v) for v in d.ImagePositionPatient])
        iop = np.array([float(v) for v in d.ImageOrientationPatient])
        ps = [float(v) for v in d.PixelSpacing]
        x = (points - ipp) @ iop[:3] / ps[1] + 0.5
        y = (points - ipp) @ iop[3:] / ps[0] + 0.5
        m = M.decode(M.frPyObjects([np.stack([x, y], 1).ravel().tolist()], int(d.Rows), int(d.Columns)))[:, :, 0]
        per[d.SOPInstanceUID] = per[d.SOPInstanceUID] ^ m if d.SOPInstanceUID in per else m
    for m in per.values():
        M.encode(np.asfortranarray(m))
        masks += 1
print(f'{masks} masks in {time.time() - start:.2f} s')
