"""The multi-label heads (the technique and frame heads, and a user's multiclass or
multilabel labels): their datasets, evaluation protocols, fitting, training runs and their
sections of the model card."""

__all__: list[str] = []
