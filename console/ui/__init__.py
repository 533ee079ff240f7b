"""Qt widgets. The only layer (with console.app) that imports PySide6 or pyqtgraph."""
