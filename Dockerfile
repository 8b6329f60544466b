# Production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install -c constraints.txt -e . \
 && useradd --system --uid 1000 --home /app portal \
 && mkdir -p /data/private /data/news /data/beat /app/var \
 && chown -R portal /data /app/var
# collectstatic needs settings that load; throwaway keys are used only for this build step.
RUN DJANGO_ENV=production SECRET_KEY=build-only-not-secret-build-only-not-secret-0123456789 ALLOWED_HOSTS=build TRUSTED_PROXY_COUNT=0 \
    CODE_LOOKUP_AUDIT_KEY=build-only-not-secret-build-only-not-secret-0123456789 \
    SMS_GATEWAY_URL=http://build.invalid/ SMS_GATEWAY_TOKEN=build-only python manage.py collectstatic --noinput

USER portal
ENV DJANGO_ENV=production PRIVATE_FILES_ROOT=/data/private
EXPOSE 8000
CMD ["gunicorn", "vssid_portal.wsgi", "--config", "python:vssid_portal.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
