"""The numpy-only runtime: text, tokens, features, encoder, engine, heads, the model artifact."""

__all__: list[str] = []
