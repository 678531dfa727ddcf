"""``framing serve``: an HTTP API over the library (FastAPI on uvicorn; ``pip install
"framing[serve]"``).

:func:`create_app` builds the application for a model; :mod:`framing.serve.guard` bounds and
checks request bodies before they are parsed; :mod:`framing.serve.schemas` holds the request
shapes (the OpenAPI documentation at ``/docs`` is made from them). Responses are the
library's JSON: ``explain(...).to_dict()``, ``suggest(...).to_dict()`` and, for ``/v1/score``,
the columns of the batch path (:class:`framing.batch.Scorer`) row by row.
"""

from framing.serve.api import Limits, app_from_env, create_app

__all__ = ["Limits", "app_from_env", "create_app"]
