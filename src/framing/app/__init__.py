"""The Streamlit app (``streamlit run app.py``): one module per page over the library.

:mod:`framing.app.data` and :mod:`framing.app.render` are plain functions (no Streamlit);
the page modules and :mod:`framing.app.main` are the view.
"""

__all__: list[str] = []
