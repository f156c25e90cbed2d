#!/bin/sh
# The application's build steps, run by the Dockerfile after the code is copied in, and by
# the production-build test on a fresh copy (tests/test_production_build.py), so the image
# and the tested build are made the same way. Python and the locked packages must already
# be installed; `python` is the interpreter that has them.
#
# 1. The gettext catalogues: *.mo files are build output (never committed), so without
#    this step every page, mail and PDF of the deployment would be English.
# 2. Static files, collected for WhiteNoise's manifest storage (DEBUG=false).
#
# Settings refuse to load with DEBUG=false and no secrets; the build needs none, so it
# gets throw-away values that never reach the running container.
set -eu
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-returns_platform.settings}"
export DEBUG=false
export ALLOWED_HOSTS=build
export SECRET_KEY=build-time-only-key-for-collectstatic-0123456789abcdef
export FIELD_ENCRYPTION_KEYS=YnVpbGQtdGltZS1vbmx5LWtleS0wMTIzNDU2Nzg5YWI=
unset DATABASE_URL REDIS_URL
python manage.py compile_catalogs --force --verbosity 1
python manage.py collectstatic --no-input --verbosity 0
