"""The Streamlit app: page logic and rendering (``streamlit run app.py``)."""

__all__: list[str] = []
