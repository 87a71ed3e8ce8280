#!/usr/bin/env python3
"""Draws the portal's home-screen icons (a notebook — a "carnet" — on Carnet's blue) as PNG files, with the
standard library only, so they can be made again on any machine:

    python3 scripts/portal-icons/make-icons.py Sources/CarnetServer/Portal/Resources

The drawing keeps to the central 80 %, so the same icon serves as a maskable one (a phone may crop it to a circle).
"""
import os
import struct
import sys
import zlib

BLUE = (0x0B, 0x4F, 0x9C)
WHITE = (0xFF, 0xFF, 0xFF)
AMBER = (0xFF, 0xBF, 0x47)


def pixel(x, y, size):
    """The colour at (x, y), shapes given in hundredths of the side."""
    u, v = 100 * x / size, 100 * y / size
    if 28 <= u < 72 and 20 <= v < 80:
        if u < 33:
            return AMBER  # the notebook's spine
        for top, right in ((32, 64), (44, 64), (56, 56)):
            if 38 <= u < right and top <= v < top + 4:
                return BLUE  # lines of writing
        return WHITE
    return BLUE


def png(size):
    rows = b"".join(b"\x00" + bytes(c for x in range(size) for c in pixel(x, y, size)) for y in range(size))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "."
    for size in (192, 512):
        with open(os.path.join(folder, f"icon-{size}.png"), "wb") as f:
            f.write(png(size))
