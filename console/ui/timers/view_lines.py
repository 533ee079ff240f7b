"""Vertical and horizontal lines across a plot whose bounds cost little while the view scrolls.

Every scrolling frame changes the view's transform, so Qt asks each line in the plots for its bounding rectangle
(and paints it), and ``InfiniteLine`` recomputes it by mapping the view box's rectangle into its own coordinates
through inverted device transforms and measuring a pixel the same way (~0.1 ms a line a frame; five lines: the
two "now" lines, the time-out line and the expired region's two edges). For a line at 0 or 90 degrees in a view
box the same rectangle follows from the view range and the view box's size with a few subtractions; what is drawn
(``InfiniteLine.paint``, from one end of the view to the other) is unchanged. tests/ui/test_view_lines.py compares
bounds and pixels with ``InfiniteLine``'s.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF


class ScrollingLine(pg.InfiniteLine):
    def _computeBoundingRect(self) -> QRectF:
        vb = self.getViewBox()
        if not isinstance(vb, pg.ViewBox) or self.angle not in (0, 90) or self.parentItem() is not vb.childGroup:
            return super()._computeBoundingRect()
        size = vb.size()
        (x0, x1), (y0, y1) = vb.viewRange()
        if size.width() <= 0 or size.height() <= 0 or x1 == x0 or y1 == y0:
            return super()._computeBoundingRect()
        px_x, px_y = self.p
        if self.angle == 90:  # local x runs along the data's y, local y against the data's x
            lo, hi = y0 - px_y, y1 - px_y
            pixel = (x1 - x0) / size.width()
        else:
            lo, hi = x0 - px_x, x1 - px_x
            pixel = (y1 - y0) / size.height()
        pw = max(self.pen.width() / 2, self.hoverPen.width() / 2)
        w = (self._maxMarkerSize + pw + 1) * pixel
        length = hi - lo
        left = lo + length * self.span[0]
        right = lo + length * self.span[1]
        br = QRectF(left, -w, right - left, 2 * w).normalized()
        if self._bounds != br or self._lastViewSize != size:
            self._bounds = br
            self._lastViewSize = size
            self.prepareGeometryChange()
        self._endPoints = (left, right)
        self._lastViewRect = None  # only InfiniteLine's labels read it, and these lines have none
        return self._bounds
