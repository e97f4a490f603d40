"""How dark an image is under a given area: for invisible text laid over a blacked-out scan."""

from __future__ import annotations

from .scene import Matrix, Paint, Rect


def _inverse(m: Matrix) -> Matrix | None:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


class ImageSampler:
    """Decodes each image once (Pillow, through pypdf) and answers mean luminance queries."""

    MAX_PIXELS = 40_000_000

    def __init__(self):
        self.cache: dict[int, object] = {}

    def _image(self, xobj):
        key = id(xobj)
        if key not in self.cache:
            image = None
            try:
                width, height = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
                if 0 < width * height <= self.MAX_PIXELS:
                    image = xobj.decode_as_image().convert("L")
            except Exception:  # noqa: BLE001 - an undecodable image is simply not sampled
                image = None
            self.cache[key] = image
        return self.cache[key]

    def __call__(self, paint: Paint, box: Rect) -> float | None:
        if paint.image is None or paint.matrix is None:
            return None
        image = self._image(paint.image)
        inverse = _inverse(paint.matrix)
        if image is None or inverse is None:
            return None
        w, h = image.size
        xs, ys = [], []
        for x, y in ((box[0], box[1]), (box[2], box[3])):
            a, b, c, d, e, f = inverse
            u, v = a * x + c * y + e, b * x + d * y + f  # unit square, origin bottom-left
            xs.append(min(max(u, 0.0), 1.0) * w)
            ys.append((1.0 - min(max(v, 0.0), 1.0)) * h)
        left, right = sorted(xs)
        top, bottom = sorted(ys)
        crop = image.crop((int(left), int(top), max(int(right), int(left) + 1), max(int(bottom), int(top) + 1)))
        histogram = crop.histogram()
        total = sum(histogram)
        if not total:
            return None
        return sum(i * n for i, n in enumerate(histogram)) / total / 255.0
