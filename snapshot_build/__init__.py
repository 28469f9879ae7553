"""The offline build of the embedded snapshot: ``python -m snapshot_build``.

Never runs in the app. `build` reads the real source files (``shared/data``), fetches the CBS and
RIVM tables through the real ``cbsodata`` client from `replay` (a local replay of the CBS
OData v3 feed on 127.0.0.1) and writes ``data/default/``.
"""

__all__ = ["build", "replay"]
