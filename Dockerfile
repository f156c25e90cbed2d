FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
ENV DJANGO_SETTINGS_MODULE=returns_platform.settings
# Build-time values only (collectstatic needs a configured production profile); the
# compiled gettext catalogues (*.mo) are build output, made from the committed *.po.
RUN DEBUG=false ALLOWED_HOSTS=build SECRET_KEY=build-time-only-key-for-collectstatic-0123456789abcdef \
        FIELD_ENCRYPTION_KEYS=YnVpbGQtdGltZS1vbmx5LW5vdC1hLXNlY3JldC1rZXk= \
    python manage.py collectstatic --no-input \
    && python manage.py compile_catalogs -v0
EXPOSE 8000
