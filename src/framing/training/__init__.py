"""Training: data adapters, lexicons, penalties, recipes, fitting, protocols and the model card."""

__all__: list[str] = []
