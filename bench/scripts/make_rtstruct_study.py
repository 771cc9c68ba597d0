"""A synthetic CT series and RT Structure Set for timing RTSTRUCT -> COCO (issue 17).

200 axial 512x512 CT slices (zero pixels, 2.5 mm apart) and one RTSTRUCT of 5 ROIs, each with two nested
400-point circles (an outer contour and a hole) on every slice, Contour Image Sequence naming the slice:
2,000 contours, 1,000 (ROI, image) masks with holes. Usage: python3 make_rtstruct_study.py OUT_DIR
"""
import os
import sys

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset

CT, RTSTRUCT, FOR, SLICES = '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.5.1.4.1.1.481.3', '2.25.4242', 200


def save(d, path, sop_class):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID, meta.TransferSyntaxUID = sop_class, d.SOPInstanceUID, '1.2.840.10008.1.2.1'
    d.file_meta, d.SOPClassUID, d.is_little_endian, d.is_implicit_VR = meta, sop_class, True, False
    d.save_as(path, write_like_original=False)


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
pixels = np.zeros((512, 512), np.uint16).tobytes()
for k in range(SLICES):
    d = Dataset()
    d.SOPInstanceUID, d.Modality, d.FrameOfReferenceUID = f'2.25.9{k:04d}', 'CT', FOR
    d.ImagePositionPatient, d.ImageOrientationPatient, d.PixelSpacing = [-250, -250, k * 2.5], [1, 0, 0, 0, 1, 0], [0.9765625, 0.9765625]
    d.Rows = d.Columns = 512
    d.SliceThickness, d.SamplesPerPixel, d.PhotometricInterpretation = 2.5, 1, 'MONOCHROME2'
    d.BitsAllocated, d.BitsStored, d.HighBit, d.PixelRepresentation, d.PixelData = 16, 16, 15, 0, pixels
    save(d, os.path.join(out, f'ct{k:04d}.dcm'), CT)

rs = Dataset()
rs.SOPInstanceUID, rs.Modality = '2.25.77777', 'RTSTRUCT'
frame = Dataset()
frame.FrameOfReferenceUID = FOR
rs.ReferencedFrameOfReferenceSequence = [frame]
t = np.linspace(0, 2 * np.pi, 400, endpoint=False)
rois, roi_contours = [], []
for r in range(1, 6):
    roi = Dataset()
    roi.ROINumber, roi.ROIName, roi.ReferencedFrameOfReferenceUID = r, f'organ{r}', FOR
    rois.append(roi)
    rc = Dataset()
    rc.ReferencedROINumber, rc.ROIDisplayColor, contours = r, [r * 40, 0, 0], []
    for k in range(SLICES):
        for radius, cx in ((60 + r * 5, -100 + r * 40), (20, -100 + r * 40)):
            c = Dataset()
            c.ContourGeometricType, c.NumberOfContourPoints = 'CLOSED_PLANAR', len(t)
            c.ContourData = [f'{v:.3f}' for v in np.stack([cx + radius * np.cos(t), radius * np.sin(t), np.full_like(t, k * 2.5)], 1).ravel()]
            image = Dataset()
            image.ReferencedSOPClassUID, image.ReferencedSOPInstanceUID = CT, f'2.25.9{k:04d}'
            c.ContourImageSequence = [image]
            contours.append(c)
    rc.ContourSequence = contours
    roi_contours.append(rc)
rs.StructureSetROISequence, rs.ROIContourSequence = rois, roi_contours
save(rs, os.path.join(out, 'rt.dcm'), RTSTRUCT)
