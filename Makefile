.PHONY: test lint format check train
test:
	python -m pytest
lint:
	ruff check . && ruff format --check .
format:
	ruff format . && ruff check --fix .
check: lint test
train:
	python training/train.py
