"""Text on a pyqtgraph plot that does not cost a second repaint per frame.

``pg.TextItem`` (and the ``InfLineLabel`` of an ``InfiniteLine``) re-computes its transform inside
``paint()`` whenever the view's transform changed since the last paint, and setting a transform schedules
another paint. A live plot whose x range scrolls every frame therefore painted twice per frame.

``PlotLabel`` is a ``QGraphicsSimpleTextItem`` with ``ItemIgnoresTransformations``: Qt itself maps its
position (in data coordinates) to the screen and draws the text unscaled and upright (also in an inverted
view), with no work in ``paint()`` beyond drawing the glyphs. ``anchor`` is the point of the text that sits
at the position, as a fraction of its size, like ``TextItem``'s. ``background`` fills the text's box first (the
labels of restarts and outages sit over bars and other marks' lines).
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem, QStyleOptionGraphicsItem, QWidget


class PlotLabel(QGraphicsSimpleTextItem):
    def __init__(
        self,
        text: str = "",
        *,
        color: QColor | str,
        anchor: tuple[float, float] = (0.0, 0.0),
        font: QFont | None = None,
        background: QColor | None = None,
    ) -> None:
        super().__init__()
        self._background = background
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setBrush(QBrush(QColor(color)))
        if font is not None:
            self.setFont(font)
        self._anchor = anchor
        self.setText(text)

    def set_anchor(self, anchor: tuple[float, float]) -> None:
        if anchor != self._anchor:
            self._anchor = anchor
            self._apply_anchor()

    def setText(self, text: str) -> None:
        if text == self.text():
            return
        super().setText(text)
        self._apply_anchor()

    def _apply_anchor(self) -> None:
        rect = self.boundingRect()
        self.setTransform(QTransform.fromTranslate(-self._anchor[0] * rect.width(), -self._anchor[1] * rect.height()))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._background is not None:  # lines and bars under a label must not run through its text
            painter.fillRect(self.boundingRect(), self._background)
        super().paint(painter, option, widget)

    def toPlainText(self) -> str:
        return self.text()
