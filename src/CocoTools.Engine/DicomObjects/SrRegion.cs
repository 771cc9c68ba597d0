using System;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.DicomObjects
{
    /// <summary>Graphic Type (0070,0023) of an SR SCOORD or SCOORD3D, PS3.3 C.18.6.1.2 and C.18.9.1.2.</summary>
    public enum SrGraphicType
    {
        /// <summary>POINT: one point.</summary>
        Point,
        /// <summary>MULTIPOINT: several unconnected points.</summary>
        Multipoint,
        /// <summary>POLYLINE: connected points; closed when the last equals the first.</summary>
        Polyline,
        /// <summary>POLYGON (SCOORD3D, and the closed shape of some writers): the last point joins the first.</summary>
        Polygon,
        /// <summary>CIRCLE: centre, then a point on the perimeter.</summary>
        Circle,
        /// <summary>ELLIPSE: the two end points of the major axis, then those of the minor axis.</summary>
        Ellipse,
        /// <summary>ELLIPSOID (SCOORD3D only): three axes; a volume, not a plane.</summary>
        Ellipsoid,
    }

    /// <summary>One spatial region of a measurement group: a SCOORD (pixel coordinates) or SCOORD3D (patient mm).</summary>
    public sealed class SrRegion
    {
        internal SrRegion(string location, bool is3D, SrGraphicType type, double[] data, ReferencedImage? image, string? frameOfReferenceUid)
        {
            Location = location;
            Is3D = is3D;
            GraphicType = type;
            GraphicData = data;
            Image = image;
            FrameOfReferenceUid = frameOfReferenceUid;
        }

        /// <summary>The content item, e.g. "content item 1.8.1.4".</summary>
        public string Location { get; }

        /// <summary>True for SCOORD3D (patient coordinates); false for SCOORD (pixel coordinates).</summary>
        public bool Is3D { get; }

        /// <summary>The graphic type.</summary>
        public SrGraphicType GraphicType { get; }

        /// <summary>
        /// SCOORD: column, row pairs with (0,0) at the top-left corner of the top-left pixel (the COCO convention);
        /// SCOORD3D: x, y, z triples in patient coordinates (mm).
        /// </summary>
        public double[] GraphicData { get; }

        /// <summary>SCOORD: the image (and frame) it is drawn on, from its IMAGE child or the item it refers to.</summary>
        public ReferencedImage? Image { get; }

        /// <summary>SCOORD3D: Referenced Frame of Reference UID.</summary>
        public string? FrameOfReferenceUid { get; }

        /// <summary>True for a POLYLINE whose last point equals its first (a closed outline, not a length).</summary>
        public bool IsClosedPolyline
        {
            get
            {
                int d = Is3D ? 3 : 2, n = GraphicData.Length;
                if (GraphicType != SrGraphicType.Polyline || n < 4 * d)
                {
                    return false;
                }

                for (int k = 0; k < d; k++)
                {
                    if (GraphicData[k] != GraphicData[n - d + k])
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }
}
