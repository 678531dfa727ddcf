"""The binary heads (``clickbait``, ``loaded`` and a user's 0/1 or graded labels): their
datasets, evaluation protocols, fitting, training runs and the model card."""

__all__: list[str] = []
