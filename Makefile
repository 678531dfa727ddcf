.PHONY: test lint format check train docs
test:
	python -m pytest
lint:
	ruff check . && ruff format --check .
format:
	ruff format . && ruff check --fix .
check: lint test
train:
	python training/train.py
docs:
	NO_MKDOCS_2_WARNING=1 python -m mkdocs build --strict -d site
