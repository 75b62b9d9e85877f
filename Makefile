# One command to run the product, one to test it. Everything else is set up on the way:
# uv (from PyPI), the virtual environment from uv.lock, the database, the demo data.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
# Python 3.12: on PATH, or installed through pyenv. uv never downloads a Python.
ifndef PYTHON312
PYTHON312 := $(shell for c in \
	"$$(command -v pyenv >/dev/null 2>&1 && PYENV_VERSION=$$(pyenv versions --bare 2>/dev/null | grep '^3\.12' | tail -n 1) pyenv which python3.12 2>/dev/null)" \
	"$$(command -v python3.12 2>/dev/null)"; do \
	[ -n "$$c" ] && "$$c" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && echo "$$c" && break; done)
endif
ifndef UV
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
endif
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON312)
RUN := $(UV) run --frozen

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/roadmaps
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: help run test lint format browser check-deploy migrate demo celery beat clean

help:
	@echo "make run    — установить всё, подготовить демо-базу (SQLite) и запустить на http://127.0.0.1:$(PORT)/"
	@echo "make test   — установить всё и прогнать ruff и все тесты (PostgreSQL и Redis из DATABASE_URL/REDIS_URL)"
	@echo "make lint | format | check-deploy | celery | beat | clean"

$(UV):
	@test -n "$(PYTHON312)" || { echo "Нужен Python 3.12 (python3.12 в PATH или через pyenv)."; exit 1; }
	$(PYTHON312) -m pip install --quiet --user --disable-pip-version-check "uv>=0.9,<1"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen
	@touch $@

var:
	@mkdir -p var

migrate: .venv/.synced var
	DJANGO_SETTINGS_MODULE=config.settings.local $(RUN) python manage.py migrate --no-input

demo: migrate
	DJANGO_SETTINGS_MODULE=config.settings.local $(RUN) python manage.py seed_demo

# Jobs run in a worker everywhere: beside the server, `make run` starts a Celery worker
# (every queue) and beat (the hourly reminders among them; the links of their e-mails
# point at this server, SITE_URL). Broker: Redis when REDIS_URL is set, else kombu's filesystem
# transport under var/celery/ (config/settings/local.py) — nothing extra to install. The
# worker and beat stop with the server (trap on exit, Ctrl+C or TERM).
CELERY_QUEUES := default,imports,mail
WORKER_ARGS := worker --loglevel INFO --queues $(CELERY_QUEUES) --pool prefork --concurrency 2 \
	--without-gossip --without-mingle --without-heartbeat
# PDFs render in a worker of their own: one process, replaced once it has grown past
# 600 MB (--max-memory-per-child, KiB) or rendered 50 reports; the task's soft and hard
# time limits are on the task (reports/tasks.py).
PDF_WORKER_ARGS := worker --loglevel INFO --queues pdf --pool prefork --concurrency 1 \
	--max-memory-per-child 600000 --max-tasks-per-child 50 -n pdf@%h \
	--without-gossip --without-mingle --without-heartbeat

run: demo
	@mkdir -p var/celery
	@echo
	@echo "Дорожные карты: http://127.0.0.1:$(PORT)/  (остановить — Ctrl+C)"
	@echo
	@export DJANGO_SETTINGS_MODULE=config.settings.local SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(RUN) celery -A config $(WORKER_ARGS) & worker=$$!; \
	$(RUN) celery -A config $(PDF_WORKER_ARGS) & pdfworker=$$!; \
	$(RUN) celery -A config beat --loglevel INFO --schedule var/celery/beat-schedule & beat=$$!; \
	$(RUN) python manage.py runserver 127.0.0.1:$(PORT) & server=$$!; \
	trap 'kill $$server $$worker $$pdfworker $$beat 2>/dev/null; wait $$server $$worker $$pdfworker $$beat 2>/dev/null' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	wait $$server

# Browser tests drive Debian's chromium; install it when it is missing and we may.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Устанавливаю chromium для браузерных тестов…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "chromium не установлен: браузерные тесты будут пропущены."; \
		fi; \
	fi

lint: .venv/.synced
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: .venv/.synced
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

test: .venv/.synced browser lint var
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(RUN) pytest

check-deploy: .venv/.synced
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=$${SECRET_KEY:-$$($(PYTHON312) -c 'import secrets; print(secrets.token_urlsafe(64))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-roadmaps.example.org} MAIL_HOST=$${MAIL_HOST:-smtp.example.org} \
		$(RUN) python manage.py check --deploy --fail-level WARNING

celery: .venv/.synced var
	$(RUN) celery -A config $(WORKER_ARGS) & $(RUN) celery -A config $(PDF_WORKER_ARGS); wait

beat: .venv/.synced var
	@mkdir -p var/celery
	$(RUN) celery -A config beat --loglevel INFO --schedule var/celery/beat-schedule

clean:
	rm -rf .venv var .pytest_cache .ruff_cache
