#!/usr/bin/env python3
"""Regenerates the sample edition's images: the cover and three article figures.

Everything is drawn pixel by pixel with the standard library (no randomness, no clock),
written as PNG with zlib, and the JPEGs are then encoded by ImageMagick's `convert`
with metadata stripped. Run it from anywhere:

    python3 editions/sample/images/make_images.py

It writes cover.jpg, canopy-chart.png, tide-curves.jpg and graticule.png next to itself.
"""

import math
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- canvas and PNG output

class Canvas:
    """An RGB image as one bytearray, with alpha-blended drawing helpers."""

    def __init__(self, width, height, colour=(255, 255, 255)):
        self.w = width
        self.h = height
        self.px = bytearray(bytes(colour) * (width * height))

    def blend(self, x, y, colour, alpha):
        """Mixes `colour` into pixel (x, y) with coverage `alpha` in 0..1."""
        if alpha <= 0 or x < 0 or y < 0 or x >= self.w or y >= self.h:
            return
        if alpha > 1:
            alpha = 1.0
        i = 3 * (y * self.w + x)
        p = self.px
        for k in range(3):
            p[i + k] = int(p[i + k] + (colour[k] - p[i + k]) * alpha + 0.5)

    def rect(self, x0, y0, x1, y1, colour, alpha=1.0):
        """Fills the axis-aligned rectangle [x0, x1) × [y0, y1) (integer pixels)."""
        for y in range(max(0, int(y0)), min(self.h, int(y1))):
            for x in range(max(0, int(x0)), min(self.w, int(x1))):
                self.blend(x, y, colour, alpha)

    def disc(self, cx, cy, r, colour, alpha=1.0):
        """An antialiased filled circle."""
        for y in range(max(0, int(cy - r - 1)), min(self.h, int(cy + r + 2))):
            for x in range(max(0, int(cx - r - 1)), min(self.w, int(cx + r + 2))):
                d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                cover = min(1.0, max(0.0, r - d + 0.5))
                self.blend(x, y, colour, cover * alpha)

    def ring(self, cx, cy, r, width, colour, alpha=1.0):
        """An antialiased circle outline of the given stroke width."""
        half = width / 2
        for y in range(max(0, int(cy - r - half - 1)), min(self.h, int(cy + r + half + 2))):
            dy = y + 0.5 - cy
            for x in range(max(0, int(cx - r - half - 1)), min(self.w, int(cx + r + half + 2))):
                d = abs(math.hypot(x + 0.5 - cx, dy) - r)
                cover = min(1.0, max(0.0, half - d + 0.5))
                self.blend(x, y, colour, cover * alpha)

    def line(self, x0, y0, x1, y1, width, colour, alpha=1.0):
        """An antialiased straight stroke with round ends."""
        half = width / 2
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy or 1e-9
        for y in range(max(0, int(min(y0, y1) - half - 1)), min(self.h, int(max(y0, y1) + half + 2))):
            for x in range(max(0, int(min(x0, x1) - half - 1)), min(self.w, int(max(x0, x1) + half + 2))):
                px, py = x + 0.5, y + 0.5
                t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length2))
                d = math.hypot(px - (x0 + t * dx), py - (y0 + t * dy))
                cover = min(1.0, max(0.0, half - d + 0.5))
                self.blend(x, y, colour, cover * alpha)

    def polyline(self, points, width, colour, alpha=1.0):
        for (a, b) in zip(points, points[1:]):
            self.line(a[0], a[1], b[0], b[1], width, colour, alpha)

    def png(self, path):
        """Writes an 8-bit RGB PNG; every row uses the Up filter (the first, None)."""
        stride = 3 * self.w
        raw = bytearray()
        previous = bytes(stride)
        for y in range(self.h):
            row = self.px[y * stride:(y + 1) * stride]
            if y == 0:
                raw.append(0)
                raw += row
            else:
                raw.append(2)
                raw += bytes((row[i] - previous[i]) & 0xFF for i in range(stride))
            previous = row

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

        header = struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
            f.write(chunk(b"IHDR", header))
            f.write(chunk(b"IDAT", zlib.compress(bytes(raw), 9)))
            f.write(chunk(b"IEND", b""))


def jpeg(canvas, path, quality, enlarge=1):
    """Encodes `canvas` as a baseline JPEG through ImageMagick, without metadata,
    `enlarge` times its size (Lanczos): the cover's smooth shapes are drawn at 150 ppi
    and enlarged to the 300 ppi a printer wants, which drawing them twice as large
    pixel by pixel would only make slower."""
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "source.png")
        canvas.png(source)
        resize = ["-filter", "Lanczos", "-resize", f"{100 * enlarge}%"] if enlarge != 1 else []
        subprocess.run(
            ["convert", source, *resize, "-strip", "-interlace", "none",
             "-sampling-factor", "2x2", "-quality", str(quality), path],
            check=True,
        )


def mix(a, b, t):
    t = max(0.0, min(1.0, t))
    return tuple(int(a[k] + (b[k] - a[k]) * t + 0.5) for k in range(3))


class Lcg:
    """A tiny fixed-seed generator, so every run draws the same picture."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 1103515245 + 12345) % (1 << 31)
        return self.state / float(1 << 31)


# ---------------------------------------------------------------- the cover

def cover():
    w, h = 1240, 1754
    c = Canvas(w, h)
    top, middle, bottom = (20, 33, 61), (92, 61, 110), (224, 122, 95)
    # Vertical gradient with a slight diagonal lean.
    for y in range(h):
        for x in range(w):
            t = (y + 0.12 * (x - w / 2)) / h
            colour = mix(top, middle, t / 0.55) if t < 0.55 else mix(middle, bottom, (t - 0.55) / 0.45)
            i = 3 * (y * w + x)
            c.px[i:i + 3] = bytes(colour)
    # A low sun with a soft halo.
    sx, sy, sr = 0.66 * w, 0.47 * h, 0.2 * w
    for k in range(12, 0, -1):
        c.disc(sx, sy, sr + k * 14, (246, 189, 96), 0.025)
    c.disc(sx, sy, sr, (246, 199, 120), 0.92)
    # Contour rings, as on a survey map, centred off the page.
    for k in range(1, 24):
        c.ring(0.18 * w, 0.28 * h, 60 * k + 9 * math.sin(k), 2.0, (236, 226, 208), 0.16)
    # Translucent diagonal bands.
    for k in range(5):
        x0 = -400 + k * 260
        c.line(x0, h + 60, x0 + 1100, -60, 46, (255, 240, 220), 0.05)
    # A thin horizon line where the street lights start, behind the blocks.
    c.line(0, h - 90, w, h - 90, 2, (250, 214, 140), 0.35)
    # A skyline: blocks of varied height with a few lit windows.
    rng = Lcg(17)
    x = 0
    base = h
    while x < w:
        bw = 60 + int(rng.next() * 90)
        bh = 160 + int(rng.next() * 360)
        shade = mix((18, 20, 38), (48, 34, 60), rng.next())
        c.rect(x, base - bh, x + bw - 6, base, shade)
        for wy in range(base - bh + 24, base - 30, 34):
            for wx in range(x + 12, x + bw - 24, 22):
                if rng.next() < 0.22:
                    c.rect(wx, wy, wx + 9, wy + 14, (250, 214, 140), 0.85)
        x += bw
    jpeg(c, os.path.join(HERE, "cover.jpg"), 80, enlarge=2)


# ---------------------------------------------------------------- figure: the canopy chart

# Canopy cover (%) and afternoon surface temperature (°C) of twelve districts, as in
# the article "The Arithmetic of Shade".
CANOPY = [
    (6, 41.8), (9, 40.9), (11, 40.2), (14, 39.1), (17, 38.6), (19, 37.4),
    (22, 36.9), (26, 35.8), (29, 35.1), (33, 33.9), (38, 33.0), (44, 31.7),
]


def canopy_chart():
    w, h = 1200, 720
    c = Canvas(w, h, (250, 247, 240))
    left, right, top, bottom = 110, 1150, 50, 600
    t_min, t_max = 28.0, 44.0

    def ty(t):
        return bottom - (t - t_min) / (t_max - t_min) * (bottom - top)

    for t in range(28, 45, 2):
        c.line(left, ty(t), right, ty(t), 1.2, (210, 204, 190))
    slot = (right - left) / len(CANOPY)
    for i, (cover_pct, temp) in enumerate(CANOPY):
        x0 = left + i * slot + slot * 0.18
        x1 = left + (i + 1) * slot - slot * 0.18
        colour = mix((196, 120, 74), (46, 110, 72), cover_pct / 44)
        c.rect(x0, ty(temp), x1, bottom, colour)
        # Canopy share as a disc under the axis, its radius growing with the cover.
        c.disc((x0 + x1) / 2, bottom + 40, 4 + cover_pct / 2.2, (46, 110, 72))
    # Fitted trend: about 0.27 °C cooler per point of canopy.
    xs = [left + (i + 0.5) * slot for i in range(len(CANOPY))]
    fit = [43.3 - 0.27 * cp for cp, _ in CANOPY]
    pts = [(x, ty(t)) for x, t in zip(xs, fit)]
    for a, b in zip(pts, pts[1:]):
        # Dashed: draw the first 60 % of each segment.
        c.line(a[0], a[1], a[0] + 0.6 * (b[0] - a[0]), a[1] + 0.6 * (b[1] - a[1]), 4, (30, 30, 40))
    c.line(left, top - 10, left, bottom, 3, (40, 40, 48))
    c.line(left, bottom, right, bottom, 3, (40, 40, 48))
    for t in range(28, 45, 4):
        c.line(left - 14, ty(t), left, ty(t), 3, (40, 40, 48))
    c.png(os.path.join(HERE, "canopy-chart.png"))


# ---------------------------------------------------------------- figure: tide curves

def tide_curves():
    w, h = 1200, 760
    c = Canvas(w, h)
    paper, edge = (243, 234, 214), (214, 196, 160)
    for y in range(h):
        for x in range(w):
            d = math.hypot((x - w / 2) / w, (y - h / 2) / h)
            i = 3 * (y * w + x)
            c.px[i:i + 3] = bytes(mix(paper, edge, (d - 0.25) / 0.45))
    # A faint ruled grid, as on a marigram sheet.
    for x in range(40, w, 40):
        c.line(x, 0, x, h, 1, (170, 150, 120), 0.25)
    for y in range(40, h, 40):
        c.line(0, y, w, y, 1, (170, 150, 120), 0.25)
    # Eleven tidal traces, one per decade, rising slowly up the sheet.
    for k in range(11):
        base = 640 - k * 48 - 0.6 * k * k
        colour = mix((52, 70, 110), (150, 40, 40), k / 10)
        pts = []
        for s in range(0, 241):
            x = 30 + s * (w - 60) / 240
            phase = s / 240 * 4 * math.pi * 3.8
            y = base - 26 * math.sin(phase + 0.3 * k) - 8 * math.sin(phase / 2 + 1.1)
            pts.append((x, y))
        c.polyline(pts, 2.4, colour, 0.85)
    c.line(60, 650, 1140, 120, 5, (150, 40, 40), 0.7)
    jpeg(c, os.path.join(HERE, "tide-curves.jpg"), 82)


# ---------------------------------------------------------------- figure: graticule

def graticule():
    w, h = 1000, 580
    c = Canvas(w, h, (222, 234, 240))
    cx, cy = w / 2, h / 2
    scale = 146.0  # pixels per radian of latitude
    lobes = [(-math.pi, -0.7), (-0.7, 0.8), (0.8, math.pi)]

    def project(lon, lat, lobe):
        a, b = lobe
        centre = (a + b) / 2
        return cx + scale * (centre + (lon - centre) * math.cos(lat)), cy - scale * lat

    # Fill each lobe (sinusoidal, interrupted) row by row.
    for y in range(h):
        lat = (cy - (y + 0.5)) / scale
        if abs(lat) >= math.pi / 2:
            continue
        for lobe in lobes:
            xa = project(lobe[0], lat, lobe)[0]
            xb = project(lobe[1], lat, lobe)[0]
            for x in range(int(xa), int(xb) + 2):
                cover = min(1.0, max(0.0, x + 1 - xa)) * min(1.0, max(0.0, xb - x))
                c.blend(x, y, (246, 239, 222), cover)
    ink = (70, 86, 104)
    for lobe in lobes:
        for deg in range(-75, 76, 15):
            lat = math.radians(deg)
            c.line(*project(lobe[0], lat, lobe), *project(lobe[1], lat, lobe), 1.3, ink, 0.55)
        lon = lobe[0]
        while lon <= lobe[1] + 1e-9:
            pts = [project(lon, math.radians(d), lobe) for d in range(-90, 91, 3)]
            c.polyline(pts, 1.3, ink, 0.55)
            lon += math.radians(15)
        # Outline of the lobe.
        for side in lobe:
            pts = [project(side, math.radians(d), lobe) for d in range(-90, 91, 2)]
            c.polyline(pts, 2.4, (40, 50, 64))
    c.line(cx - scale * math.pi, cy, cx + scale * math.pi, cy, 2.2, (170, 60, 50), 0.8)
    c.png(os.path.join(HERE, "graticule.png"))


def main():
    for name, draw in [("cover", cover), ("canopy-chart", canopy_chart),
                       ("tide-curves", tide_curves), ("graticule", graticule)]:
        print("drawing", name, file=sys.stderr)
        draw()


if __name__ == "__main__":
    main()
