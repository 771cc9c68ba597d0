using System;
using System.Buffers;
using System.Collections.Generic;

namespace CocoTools.Engine.Pixels
{
    /// <summary>
    /// The planes and upsampled components of one JPEG frame: large and made for every frame, so they come from the
    /// shared pool and all go back when the frame is done.
    /// </summary>
    internal sealed class JpegPlanePool : IDisposable
    {
        private readonly List<short[]> _rented = new List<short[]>();

        public short[] Rent(int length)
        {
            var buffer = ArrayPool<short>.Shared.Rent(length);
            _rented.Add(buffer);
            return buffer;
        }

        public void Dispose()
        {
            foreach (var buffer in _rented)
            {
                ArrayPool<short>.Shared.Return(buffer);
            }

            _rented.Clear();
        }
    }
}
