FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
ENV DJANGO_SETTINGS_MODULE=returns_platform.settings
# Compiles the gettext catalogues and collects static files; the production-build test
# runs the same script on a fresh copy (tests/test_production_build.py).
RUN sh deploy/build.sh
EXPOSE 8000
