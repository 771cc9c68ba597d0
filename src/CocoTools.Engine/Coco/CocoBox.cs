using System;

namespace CocoTools.Engine.Coco
{
    /// <summary>A COCO bounding box <c>[x, y, width, height]</c> in pixels, origin top-left.</summary>
    public readonly struct CocoBox : IEquatable<CocoBox>
    {
        /// <summary>Creates a box from its left, top, width and height.</summary>
        public CocoBox(double x, double y, double width, double height)
        {
            X = x;
            Y = y;
            Width = width;
            Height = height;
        }

        /// <summary>Left edge.</summary>
        public double X { get; }

        /// <summary>Top edge.</summary>
        public double Y { get; }

        /// <summary>Width.</summary>
        public double Width { get; }

        /// <summary>Height.</summary>
        public double Height { get; }

        /// <summary>Right edge (X + Width).</summary>
        public double Right => X + Width;

        /// <summary>Bottom edge (Y + Height).</summary>
        public double Bottom => Y + Height;

        /// <summary>Width times height.</summary>
        public double Area => Width * Height;

        /// <summary>True when all four numbers are finite.</summary>
        public bool IsFinite => NumberText.IsFinite(X) && NumberText.IsFinite(Y) && NumberText.IsFinite(Width) && NumberText.IsFinite(Height);

        /// <summary>The box from two corners.</summary>
        public static CocoBox FromCorners(double xMin, double yMin, double xMax, double yMax) => new CocoBox(xMin, yMin, xMax - xMin, yMax - yMin);

        /// <summary>The four numbers in COCO order.</summary>
        public double[] ToArray() => new[] { X, Y, Width, Height };

        /// <inheritdoc />
        public bool Equals(CocoBox other) => X.Equals(other.X) && Y.Equals(other.Y) && Width.Equals(other.Width) && Height.Equals(other.Height);

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is CocoBox b && Equals(b);

        /// <inheritdoc />
        public override int GetHashCode() => ((X.GetHashCode() * 31 + Y.GetHashCode()) * 31 + Width.GetHashCode()) * 31 + Height.GetHashCode();

        /// <summary>COCO notation, e.g. <c>[10, 20, 30.5, 40]</c>.</summary>
        public override string ToString() => $"[{NumberText.Format(X)}, {NumberText.Format(Y)}, {NumberText.Format(Width)}, {NumberText.Format(Height)}]";
    }
}
