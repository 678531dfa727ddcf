"""framing in the browser: ``streamlit run app.py``.

A launcher only: the app is the package :mod:`framing.app` (pages in
``src/framing/app/``).
"""

from framing.app.main import main

main()
