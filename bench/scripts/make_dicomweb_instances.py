"""Writes N copies of a small DICOM file with new Study/Series/SOP Instance UIDs (10 series per study, 100
instances per series), for the DICOMweb bench. Usage: make_dicomweb_instances.py source.dcm out_dir N"""
import os
import sys

import pydicom
from pydicom.uid import generate_uid

source, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
ds = pydicom.dcmread(source)
study = series = None
for n in range(count):
    if n % 1000 == 0:
        study = generate_uid()
    if n % 100 == 0:
        series = generate_uid()
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = n % 100 + 1
    ds.save_as(os.path.join(out, f"{n:05d}.dcm"), write_like_original=True)
