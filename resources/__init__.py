"""Icons, help pages, scenarios and the desktop entry, installed as the package data ``console.resources``.

The folder stays at the project's top level; pyproject.toml maps it into the ``console`` package so that a wheel
carries it and ``importlib.resources`` finds it (console/model/resource_paths.py).
"""
