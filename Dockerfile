# Serve an existing archive read-only:
#   docker build -t newsarchive .
#   docker run -p 8001:8001 -v "$PWD:/data:ro" newsarchive
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY newsarchive ./newsarchive
RUN pip install --no-cache-dir .
VOLUME /data
EXPOSE 8001
CMD ["newsarchive", "serve", "--db", "/data/archive.db", "--immutable", "--host", "0.0.0.0", "--port", "8001"]
