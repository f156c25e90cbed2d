FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
ENV DJANGO_SETTINGS_MODULE=returns_platform.settings
RUN DEBUG=false ALLOWED_HOSTS=build SECRET_KEY=build-time-only-key-for-collectstatic-0123456789abcdef \
    python manage.py collectstatic --no-input
EXPOSE 8000
