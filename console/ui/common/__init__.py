"""Widgets and helpers every part of the window uses: icons, field notes, spin boxes, help, About."""
