# Server image of the Sociale Basis Dashboard (issue #14): the app, its pinned packages and the
# embedded snapshot (data/default, public CBS/RIVM data) built in. Nothing is fetched at run
# time; the app never calls out (tests/test_no_network.py).
#
#   docker build -t sociale-basis-dashboard .
#   docker run -p 8501:8501 -e REPLICAS=2 sociale-basis-dashboard   # K processes + nginx
#   docker compose up -d                                             # see compose.yaml
#
# One start script for every case: scripts/serve-replicas.sh (SBD_ROLE=all: K processes and
# nginx in this container; app: one process; balancer: only nginx).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SBD_NO_SETUP=1 \
    SBD_PYTHON=/app/.venv/bin/python \
    ADDRESS=0.0.0.0 \
    PORT=8501 \
    REPLICAS=2

# Debian's nginx is the load balancer (the same package the tests use).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin sbd

WORKDIR /app
COPY requirements.txt ./
RUN python -m venv .venv \
    && .venv/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements.txt

COPY .streamlit ./.streamlit
COPY app.py paths.py ./
COPY analysis ./analysis
COPY data ./data
COPY ui ./ui
COPY deploy ./deploy
COPY scripts ./scripts
# The snapshot is part of the image: fail the build if it is missing or unreadable.
RUN .venv/bin/python -c "from data.snapshot import load_snapshot; load_snapshot()"
# The national map's geometry files (static/geo/, served at app/static/ and fetched once per
# browser), written now: the app's user cannot write /app. Without them the map still draws,
# with its geometry inside every figure.
RUN .venv/bin/python -m ui.national_map

USER sbd
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["/app/.venv/bin/python", "-c", "import os, sys, urllib.request; url = 'http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'); sys.exit(urllib.request.urlopen(url, timeout=4).read() != b'ok')"]
CMD ["bash", "scripts/serve-replicas.sh"]
