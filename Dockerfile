# The dashboard image: gunicorn serving dashboard.app on $PORT, as a non-root user.
# Build: docker build -t bitcoin-tracker-dashboard .   (the deploy workflow tags it with the SHA)

# ---- build: resolve the pinned requirements into a venv --------------------------------------
FROM python:3.12-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH

WORKDIR /build
COPY requirements.txt .
# XStatic-Bootstrap ships only an sdist whose setup.py needs pkg_resources and bdist_wheel:
# install a setuptools that still has them and build without isolation (as the Makefile does).
RUN python -m venv /opt/venv \
    && pip install --no-cache-dir setuptools==80.9.0 wheel==0.45.1 \
    && pip install --no-cache-dir --no-build-isolation -r requirements.txt

# ---- runtime: the venv and the two packages the dashboard imports, nothing else -------------
FROM python:3.12-slim

# HOST/PORT are read by dashboard/gunicorn_conf.py; 0.0.0.0 so the load balancer reaches it.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8050

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY ingest/ ingest/
COPY dashboard/ dashboard/

USER 10001:10001
EXPOSE 8050

# The ECS task runs with a read-only root filesystem and mounts a scratch volume here for
# gunicorn's worker heartbeat files. Declaring it makes Fargate give that mount the image's
# /tmp permissions (1777) instead of root-only 0755, so the non-root user can write to it.
VOLUME ["/tmp"]

# Liveness, the same probe as the ECS task definition's healthCheck (tests/infra keeps them
# equal): /livez answers while gunicorn serves and never asks the store, so a store outage
# does not mark a serving container unhealthy. urlopen raises on anything but a 2xx, so the
# exit code is 1 when the server does not answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['PORT'] + '/livez', timeout=4)"]

CMD ["gunicorn", "-c", "dashboard/gunicorn_conf.py", "dashboard.app:server"]
