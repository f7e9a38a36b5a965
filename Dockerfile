# HomeStrength production image: gunicorn + whitenoise on a slim Python base.
# Build:   docker build -t homestrength .
# Release: docker run --rm --env-file prod.env homestrength python manage.py migrate --noinput
#          docker run --rm --env-file prod.env homestrength python manage.py load_library
# Serve:   docker run -p 8000:8000 --env-file prod.env homestrength
# Worker:  docker run --no-healthcheck --env-file prod.env homestrength \
#            python manage.py db_worker --queue-name '*' --no-reload
#          (background jobs: file imports, email; the same image and environment as the
#          app hosts; stops cleanly on SIGTERM after its current job)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_NO_CACHE=1 \
    PATH="/opt/venv/bin:$PATH"

WORKDIR /app

RUN pip install --no-cache-dir "uv==0.13.9" \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY --chown=app:app . .
# Static files are collected at build time with a throwaway key; the real key comes
# from the environment at run time.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var/media && chown -R app:app /app/var

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]
CMD ["gunicorn", "homestrength.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
