"""Other places to run the one batch path: a Dask cluster (:mod:`framing.engines.dask_engine`)."""

__all__: list[str] = []
