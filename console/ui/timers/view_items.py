"""Plot items whose bounds and culling cost little while the view scrolls.

Every scrolling frame changes the view's transform, so Qt asks each item in the plots for its bounding rectangle
and paints it. pyqtgraph's items measure "one pixel in my coordinates" for that by mapping through inverted
device transforms (``pixelVectors``, ``viewRect``): ``InfiniteLine`` ~0.1 ms a line a frame (five lines: the two
"now" lines, the time-out line and the expired region's two edges), ``ScatterPlotItem`` its bounds and, in each
paint, the culling of its points against the view (~0.25 ms a frame for the markers and the stars, a handful of
points). For an item placed straight in a view box (no transform of its own but a line's position and right
angle) the same numbers follow from the view range and the view box's size: ``data_per_pixel``. What is drawn is
pyqtgraph's own drawing, unchanged. tests/ui/test_view_items.py compares bounds, culling and pixels with theirs.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pyqtgraph.functions as fn
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter


def data_per_pixel(item: pg.GraphicsObject) -> tuple[pg.ViewBox, float, float] | None:
    """The item's view box and the data width and height of one pixel, or None when not a plain child of one."""
    vb = item.getViewBox()
    if not isinstance(vb, pg.ViewBox) or item.parentItem() is not vb.childGroup:
        return None
    size = vb.size()
    (x0, x1), (y0, y1) = vb.viewRange()
    if size.width() <= 0 or size.height() <= 0 or x1 == x0 or y1 == y0:
        return None
    return vb, (x1 - x0) / size.width(), (y1 - y0) / size.height()


class ScrollingLine(pg.InfiniteLine):
    """An ``InfiniteLine`` at 0 or 90 degrees whose bounds come from the view range (module docstring)."""

    def _computeBoundingRect(self) -> QRectF:
        found = data_per_pixel(self) if self.angle in (0, 90) else None
        if found is None:
            return super()._computeBoundingRect()
        vb, px_x, px_y = found
        (x0, x1), (y0, y1) = vb.viewRange()
        pos_x, pos_y = self.p
        if self.angle == 90:  # local x runs along the data's y, local y against the data's x
            lo, hi, pixel = y0 - pos_y, y1 - pos_y, px_x
        else:
            lo, hi, pixel = x0 - pos_x, x1 - pos_x, px_y
        pw = max(self.pen.width() / 2, self.hoverPen.width() / 2)
        w = (self._maxMarkerSize + pw + 1) * pixel
        length = hi - lo
        left = lo + length * self.span[0]
        right = lo + length * self.span[1]
        br = QRectF(left, -w, right - left, 2 * w).normalized()
        size = vb.size()
        if self._bounds != br or self._lastViewSize != size:
            self._bounds = br
            self._lastViewSize = size
            self.prepareGeometryChange()
        self._endPoints = (left, right)
        self._lastViewRect = None  # only InfiniteLine's labels read it, and these lines have none
        return self._bounds


class ScrollingScatter(pg.ScatterPlotItem):
    """A pixel-mode ``ScatterPlotItem`` that culls and bounds its points from the view range (module docstring).

    Drawing is pyqtgraph's: the same pre-rendered symbols, mapped by the painter's transform, drawn as pixmap
    fragments. Anything else (data-sized symbols, no symbol cache, exporting) is pyqtgraph's paint."""

    def _fast(self) -> tuple[pg.ViewBox, float, float] | None:
        if not (self.opts["pxMode"] is True and self.opts["useCache"] and self._exportOpts is False):
            return None
        if not self.transform().isIdentity() or not self.pos().isNull():
            return None
        return data_per_pixel(self)

    def boundingRect(self) -> QRectF:
        found = self._fast()
        if found is None:
            return super().boundingRect()
        (xmn, xmx) = self.dataBounds(ax=0)
        (ymn, ymx) = self.dataBounds(ax=1)
        if xmn is None or xmx is None:
            xmn = xmx = 0
        if ymn is None or ymx is None:
            ymn = ymx = 0
        pad = self.pixelPadding()
        px = py = 0.0
        if pad > 0:
            px, py = found[1] * pad, found[2] * pad
        return QRectF(xmn - px, ymn - py, (2 * px) + xmx - xmn, (2 * py) + ymx - ymn)

    def view_mask(self) -> np.ndarray | None:
        """``_maskAt(viewRect())``: the points whose symbol overlaps the view."""
        found = self._fast()
        if found is None:
            return None
        vb, px, py = found
        (left, right), (top, bottom) = vb.viewRange()
        w = self.data["sourceRect"]["w"] / 2 * px
        h = self.data["sourceRect"]["h"] / 2 * py
        x, y = self.data["x"], self.data["y"]
        return self.data["visible"] & (x + w > left) & (x - w < right) & (y + h > top) & (y - h < bottom)

    def paint(self, p: QPainter, option: object, widget: object) -> None:
        view_mask = self.view_mask()
        if view_mask is None or self.opts.get("compositionMode") is not None:
            super().paint(p, option, widget)
            return
        dpr = self.fragmentAtlas.devicePixelRatio()
        if widget is not None and widget.devicePixelRatioF() != dpr:  # type: ignore[attr-defined]
            super().paint(p, option, widget)  # re-renders the symbols for the new ratio
            return
        if not view_mask.any():
            return
        pts = np.vstack([self.data["x"][view_mask], self.data["y"][view_mask]])
        pts = fn.transformCoordinates(p.transform(), pts)
        pts = fn.clip_array(pts, -(2**30), 2**30)  # prevent Qt segmentation fault (as pyqtgraph does)
        p.resetTransform()
        sr = self.data["sourceRect"][view_mask]
        self._pixmapFragments.resize(sr.size)
        frags = self._pixmapFragments.ndarray()
        frags[:, 0:2] = pts.T
        frags[:, 2:6] = np.frombuffer(sr, dtype=int).reshape((-1, 4))  # sx, sy, sw, sh
        frags[:, 6:10] = [1 / dpr, 1 / dpr, 0.0, 1.0]  # scaleX, scaleY, rotation, opacity
        p.drawPixmapFragments(*self._pixmapFragments.drawargs(), self.fragmentAtlas.pixmap)


class ScrollingCurve(pg.PlotCurveItem):
    """A ``PlotCurveItem`` whose data bounds outlive a change of view and whose pixel padding comes from the view
    range (module docstring). pyqtgraph drops both on every scrolling frame and measures the data again (``nanmin``
    and ``nanmax`` under a warnings filter) for each line item, although the data did not change."""

    def viewTransformChanged(self) -> None:
        self._boundingRect = None  # the padding is in pixels; the data bounds (self._boundsCache) still hold
        self.prepareGeometryChange()

    def boundingRect(self) -> QRectF:
        if self._boundingRect is not None:
            return self._boundingRect
        pad = self.pixelPadding()
        found = data_per_pixel(self) if pad > 0 else None
        if found is None or not self.transform().isIdentity() or not self.pos().isNull():
            return super().boundingRect()
        (xmn, xmx) = self.dataBounds(ax=0)
        (ymn, ymx) = self.dataBounds(ax=1)
        if xmn is None or xmx is None or ymn is None or ymx is None:
            return QRectF()
        px, py = found[1] * pad, found[2] * pad
        self._boundingRect = QRectF(xmn - px, ymn - py, (2 * px) + xmx - xmn, (2 * py) + ymx - ymn)
        return self._boundingRect


class ScrollingBars(pg.BarGraphItem):
    """A ``BarGraphItem`` whose pixel padding comes from the view range (module docstring): pyqtgraph's bounds are
    not kept at all, and Qt asks for them several times a frame, each time measuring a pixel afresh."""

    def boundingRect(self) -> QRectF:
        pad = self.pixelPadding()
        found = data_per_pixel(self) if pad > 0 else None
        if found is None or not self.transform().isIdentity() or not self.pos().isNull():
            return super().boundingRect()
        xmn, xmx = self.dataBounds(ax=0)
        if xmn is None or xmx is None:
            return QRectF()
        ymn, ymx = self.dataBounds(ax=1)
        if ymn is None or ymx is None:
            return QRectF()
        px, py = found[1] * pad, found[2] * pad
        return QRectF(xmn - px, ymn - py, (2 * px) + xmx - xmn, (2 * py) + ymx - ymn)
