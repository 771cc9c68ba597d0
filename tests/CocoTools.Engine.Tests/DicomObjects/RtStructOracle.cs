using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.DicomObjects
{
    /// <summary>
    /// The independent path for RTSTRUCT: pydicom reads the structure set and the images, numpy maps the contour points
    /// to pixels (column = (P - IPP).row / column spacing + 0.5, row = (P - IPP).column / row spacing + 0.5, direction
    /// cosines normalised), pycocotools rasterizes each closed contour on its own and numpy combines them by exclusive or.
    /// </summary>
    internal static class RtStructOracle
    {
        private const string Script = @"
import json, sys
import numpy as np
import pydicom
from pycocotools import mask as M
rs = pydicom.dcmread(sys.argv[1], force=True)
images = [pydicom.dcmread(p, force=True, stop_before_pixels=True) for p in sys.argv[3:]]
def geometry(d):
    ipp = np.array([float(v) for v in d.ImagePositionPatient])
    iop = np.array([float(v) for v in d.ImageOrientationPatient])
    # Direction cosines are unit vectors; as DS text of at most 16 characters they are not quite: normalise.
    r, c = iop[:3] / np.linalg.norm(iop[:3]), iop[3:] / np.linalg.norm(iop[3:])
    ps = [float(v) for v in d.PixelSpacing]
    return ipp, r, c, np.cross(r, c), ps
def half_spacing(d):
    return float(d.get('SpacingBetweenSlices', 0) or d.get('SliceThickness', 0) or 0) / 2
out = []
for rc in rs.ROIContourSequence:
    per = {}
    for ct in rc.get('ContourSequence', []):
        if ct.ContourGeometricType not in ('CLOSED_PLANAR', 'CLOSEDPLANAR_XOR'):
            continue
        pts = np.array([float(v) for v in ct.ContourData]).reshape(-1, 3)
        refs = [i.ReferencedSOPInstanceUID for i in ct.get('ContourImageSequence', [])]
        target = next((d for d in images if d.SOPInstanceUID in refs), None)
        if target is None and not refs:
            best = None
            for d in images:
                ipp, r, c, n, ps = geometry(d)
                dist = np.abs((pts - ipp) @ n).max()
                if dist <= half_spacing(d) and (best is None or dist < best[0]):
                    best = (dist, d)
            target = best[1] if best else None
        if target is None:
            continue
        ipp, r, c, n, ps = geometry(target)
        x = (pts - ipp) @ r / ps[1] + 0.5
        y = (pts - ipp) @ c / ps[0] + 0.5
        poly = np.stack([x, y], 1).ravel().tolist()
        m = M.decode(M.frPyObjects([poly], int(target.Rows), int(target.Columns)))[:, :, 0]
        uid = str(target.SOPInstanceUID)
        per[uid] = per[uid] ^ m if uid in per else m.copy()
    for uid, m in per.items():
        out.append({'roi': int(rc.ReferencedROINumber), 'image': uid, 'h': int(m.shape[0]), 'w': int(m.shape[1]),
                    'counts': M.encode(np.asfortranarray(m))['counts'].decode(), 'area': int(m.sum())})
json.dump(out, open(sys.argv[2], 'w'))
";

        private const string LoadScript = @"
import json, sys
import numpy as np
from pycocotools.coco import COCO
from pycocotools import mask as M
coco = COCO(sys.argv[1])
out = {}
for a in coco.dataset['annotations']:
    if 'segmentation' in a:
        m = coco.annToMask(a)
        out[str(a['id'])] = M.encode(np.asfortranarray(m))['counts'].decode()
json.dump(out, open(sys.argv[2], 'w'))
";

        /// <summary>What pycocotools' <c>annToMask</c> makes of each segmented annotation of a COCO file: annotation id to compressed counts.</summary>
        public static IReadOnlyDictionary<long, string> LoadedMasks(string cocoJson)
        {
            using var temp = new TempDir();
            var output = temp.File("loaded.json");
            var result = PythonOracle.RunPython(LoadScript, cocoJson, output);
            Assert.True(result.ExitCode == 0, result.StdErr);
            using var json = JsonDocument.Parse(File.ReadAllText(output));
            return json.RootElement.EnumerateObject().ToDictionary(p => long.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetString()!);
        }

        /// <summary>The even-odd mask of each (ROI number, image SOP Instance UID) with closed contours.</summary>
        public static IReadOnlyList<OracleMask> Masks(string rtStruct, params string[] images)
        {
            using var temp = new TempDir();
            var output = temp.File("masks.json");
            var result = PythonOracle.RunPython(Script, new[] { rtStruct, output }.Concat(images).ToArray());
            Assert.True(result.ExitCode == 0, result.StdErr);
            using var json = JsonDocument.Parse(File.ReadAllText(output));
            return json.RootElement.EnumerateArray().Select(e => new OracleMask(
                e.GetProperty("roi").GetInt32(),
                e.GetProperty("image").GetString()!,
                e.GetProperty("h").GetInt32(),
                e.GetProperty("w").GetInt32(),
                e.GetProperty("counts").GetString()!,
                e.GetProperty("area").GetInt64())).ToList();
        }
    }

    internal sealed record OracleMask(int Roi, string Image, int Height, int Width, string Counts, long Area);
}
