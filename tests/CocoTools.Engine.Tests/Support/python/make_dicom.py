"""Writes synthetic CT images and a Segmentation (SEG) with pydicom, from a JSON spec (argv[1]).

Used by the engine tests (SegmentationConverterTests) and the bench. Spec:
{
  "out": folder, "frame_of_reference": uid,
  "images": [{"file", "sop", "rows", "cols", "z": [z per frame], "spacing": [row, col]}],   # several z: enhanced multi-frame
  "seg": {"file", "sop", "type": "BINARY|FRACTIONAL|LABELMAP", "bits": 1|8|16, "max_fractional": 255,
          "rows", "cols", "segments": [{"number", "label", "lab": [L, a, b], "category": [code, scheme, meaning],
          "type": [...], "tracking_id", "tracking_uid"}],
          "frames": [{"segment": n, "source": sop, "source_frame": k or null, "z": z, "pixels": [flat row-major] or
                      "ellipses": {"seed": s, "count": c, "labels": [..]}}],
          "no_derivation": false, "order": [frame indexes in file order], "truncate_pixels": bytes to cut,
          "label_map_class": false,
          "transfer_syntax": "native" (default) | "rle" (RLE Lossless; a 1-bit frame's bits packed from a byte, as
                             pydicom 3 / highdicom write it) | "rle_bytes" (1-bit: RLE of one byte a pixel, as older
                             writers do) | "deflated" (Deflated Explicit VR Little Endian)}
}
"""
import json
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.encaps import encapsulate
from pydicom.encoders.native import _encode_frame as rle_encode
from pydicom.uid import DeflatedExplicitVRLittleEndian, ExplicitVRLittleEndian, RLELossless

CT = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
SEG = "1.2.840.10008.5.1.4.1.1.66.4"
LABEL_MAP_SEG = "1.2.840.10008.5.1.4.1.1.66.7"


def base(path, sop_class, sop, spec):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = "1.2.826.0.1.3680043.8.498.1"
    ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.8.498.100"
    ds.SeriesInstanceUID = sop + ".0"
    ds.FrameOfReferenceUID = spec["frame_of_reference"]
    ds.PatientName = "Synthetic^Test"
    ds.PatientID = "SYNTH-0001"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    return ds


def plane(z):
    pos = Dataset()
    pos.ImagePositionPatient = [-10.0, -20.0, float(z)]
    return pos


def write_image(spec, image):
    path = spec["out"] + "/" + image["file"]
    zs = image["z"]
    multi = len(zs) > 1
    ds = base(path, ENHANCED_CT if multi else CT, image["sop"], spec)
    ds.Modality = "CT"
    ds.Rows, ds.Columns = image["rows"], image["cols"]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    spacing = image.get("spacing", [0.5, 0.5])
    orientation = Dataset()
    orientation.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    measures = Dataset()
    measures.PixelSpacing = spacing
    measures.SliceThickness = 2.0
    if multi:
        ds.NumberOfFrames = len(zs)
        shared = Dataset()
        shared.PlaneOrientationSequence = Sequence([orientation])
        shared.PixelMeasuresSequence = Sequence([measures])
        ds.SharedFunctionalGroupsSequence = Sequence([shared])
        frames = []
        for z in zs:
            f = Dataset()
            f.PlanePositionSequence = Sequence([plane(z)])
            frames.append(f)
        ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    else:
        ds.ImagePositionPatient = plane(zs[0]).ImagePositionPatient
        ds.ImageOrientationPatient = orientation.ImageOrientationPatient
        ds.PixelSpacing = spacing
        ds.SliceThickness = 2.0
    ds.PixelData = (np.arange(len(zs) * image["rows"] * image["cols"], dtype=np.uint16) % 4096).tobytes()
    ds.save_as(path, write_like_original=False)


def code(values):
    c = Dataset()
    c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = values
    return c


def ellipses(rows, cols, seed, count, labels):
    rng = np.random.default_rng(seed)
    out = np.zeros((rows, cols), np.uint16)
    yy, xx = np.mgrid[0:rows, 0:cols]
    for k in range(count):
        cy, cx = rng.uniform(0, rows), rng.uniform(0, cols)
        ry, rx = rng.uniform(rows / 20, rows / 5), rng.uniform(cols / 20, cols / 5)
        out[((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1] = labels[k % len(labels)]
    return out


def write_seg(spec):
    s = spec["seg"]
    path = spec["out"] + "/" + s["file"]
    ds = base(path, LABEL_MAP_SEG if s.get("label_map_class") else SEG, s["sop"], spec)
    ds.Modality = "SEG"
    rows, cols = s["rows"], s["cols"]
    ds.Rows, ds.Columns = rows, cols
    bits = s["bits"]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits, bits - 1, 0
    ds.SegmentationType = s["type"]
    if s["type"] == "FRACTIONAL":
        ds.SegmentationFractionalType = "PROBABILITY"
        ds.MaximumFractionalValue = s.get("max_fractional", 255)
    segments = []
    for seg in s["segments"]:
        item = Dataset()
        item.SegmentNumber = seg["number"]
        item.SegmentLabel = seg["label"]
        item.SegmentAlgorithmType = seg.get("algorithm_type", "MANUAL")
        item.SegmentedPropertyCategoryCodeSequence = Sequence([code(seg.get("category", ["91723000", "SCT", "Anatomical Structure"]))])
        item.SegmentedPropertyTypeCodeSequence = Sequence([code(seg.get("type", ["10200004", "SCT", "Liver"]))])
        if "lab" in seg:
            item.RecommendedDisplayCIELabValue = seg["lab"]
        if "tracking_id" in seg:
            item.TrackingID = seg["tracking_id"]
            item.TrackingUID = seg["tracking_uid"]
        segments.append(item)
    ds.SegmentSequence = Sequence(segments)
    orientation = Dataset()
    orientation.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    measures = Dataset()
    measures.PixelSpacing = s.get("spacing", [0.5, 0.5])
    measures.SliceThickness = 2.0
    shared = Dataset()
    shared.PlaneOrientationSequence = Sequence([orientation])
    shared.PixelMeasuresSequence = Sequence([measures])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    frames = s["frames"]
    order = s.get("order", list(range(len(frames))))
    groups, planes = [], []
    for index in order:
        f = frames[index]
        g = Dataset()
        if not s.get("no_derivation"):
            src = Dataset()
            src.ReferencedSOPClassUID = CT
            src.ReferencedSOPInstanceUID = f["source"]
            if f.get("source_frame") is not None:
                src.ReferencedFrameNumber = f["source_frame"]
            der = Dataset()
            der.SourceImageSequence = Sequence([src])
            g.DerivationImageSequence = Sequence([der])
        if s["type"] != "LABELMAP":
            sid = Dataset()
            sid.ReferencedSegmentNumber = f["segment"]
            g.SegmentIdentificationSequence = Sequence([sid])
        g.PlanePositionSequence = Sequence([plane(f["z"])])
        groups.append(g)
        if "pixels" in f:
            planes.append(np.array(f["pixels"], dtype=np.uint16).reshape(rows, cols))
        else:
            e = f["ellipses"]
            planes.append(ellipses(rows, cols, e["seed"], e["count"], e["labels"]))
    ds.PerFrameFunctionalGroupsSequence = Sequence(groups)
    ds.NumberOfFrames = len(order)
    stack = np.stack(planes)
    if bits == 1:
        data = np.packbits(stack.reshape(-1).astype(np.uint8) != 0, bitorder="little").tobytes()
    elif bits == 8:
        data = stack.astype(np.uint8).tobytes()
    else:
        data = stack.astype("<u2").tobytes()
    if len(data) % 2:
        data += b"\0"
    cut = s.get("truncate_pixels", 0)
    syntax = s.get("transfer_syntax", "native")
    if syntax != "native":
        ds.is_little_endian, ds.is_implicit_VR = True, False
    if syntax in ("rle", "rle_bytes"):
        data = encapsulate([rle_frame(frame, bits, syntax) for frame in stack])
        ds.file_meta.TransferSyntaxUID = RLELossless
    elif syntax == "deflated":
        ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    ds.PixelData = data
    ds["PixelData"].VR = "OB" if bits != 16 or syntax.startswith("rle") else "OW"
    if syntax.startswith("rle"):
        ds["PixelData"].is_undefined_length = True
    ds.save_as(path, write_like_original=False)
    if cut:
        with open(path, "rb") as fh:
            content = fh.read()
        with open(path, "wb") as fh:
            fh.write(content[: len(content) - cut])


def rle_frame(frame, bits, syntax):
    """One frame as RLE Lossless by pydicom's own encoder (one byte segment per byte of a sample)."""
    rows, cols = frame.shape
    if bits == 1 and syntax == "rle":
        packed = np.packbits(frame.reshape(-1).astype(np.uint8) != 0, bitorder="little").tobytes()
        return rle_encode(packed, rows=1, columns=len(packed), samples_per_pixel=1, bits_allocated=8)
    if bits == 1:
        return rle_encode((frame != 0).astype(np.uint8).tobytes(), rows=rows, columns=cols, samples_per_pixel=1, bits_allocated=8)
    return rle_encode(frame.astype(np.uint8 if bits == 8 else "<u2").tobytes(), rows=rows, columns=cols, samples_per_pixel=1, bits_allocated=bits)


def main():
    with open(sys.argv[1]) as fh:
        spec = json.load(fh)
    for image in spec.get("images", []):
        write_image(spec, image)
    if "seg" in spec:
        write_seg(spec)


main()
