# Beschermwijzer: `make run` and `make test` are all you need; both set up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LOCALES := locales
PO_FILES := $(wildcard $(LOCALES)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: install run test lint check bench fuzz catalogs diagram readme clean review-kit review-import

## install: idempotent setup: virtualenv, editable install with dev extras, compiled catalogs
install: $(STAMP) $(MO_FILES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

$(LOCALES)/%/LC_MESSAGES/messages.mo: $(LOCALES)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -D messages -d $(LOCALES) -l $* --statistics

## run: the bot: Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the console chat
run: install
	$(BIN)/python -m bot

## test: lint, type-check, validate content, run every test
test: install lint check
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy bot tests benchmarks

check: install
	$(BIN)/python -m bot check

## fuzz: the long property-based run (10,000 random sequences) with its counts
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} $(BIN)/python -m pytest tests/test_fuzz.py -p no:cacheprovider -s -q --timeout=0

## bench: run the benchmarks, write bench.json
bench: install
	$(BIN)/python -m benchmarks

## catalogs: extract messages (code, knowledge, dialogs) and update every catalog
catalogs: install
	$(BIN)/pybabel extract -F pyproject.toml -k N_ -k NN_:1,2 --no-wrap --sort-by-file \
	  --project Beschermwijzer -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update --no-wrap -D messages -i $(LOCALES)/messages.pot -d $(LOCALES)

## review-kit: LANG=tr -> build/review/tr.html and tr.csv for a native-speaking reviewer
review-kit: install
	@test -n "$(LANG)" || { echo "usage: make review-kit LANG=tr"; exit 2; }
	$(BIN)/python -m bot.i18n.reviewkit export $(LANG) --out build/review

## review-import: FILE=build/review/tr.csv [REVIEW=name] -> corrections into the catalog
review-import: install
	@test -n "$(FILE)" || { echo "usage: make review-import FILE=build/review/tr.csv [REVIEW=name]"; exit 2; }
	$(BIN)/python -m bot.i18n.reviewkit import $(FILE) $(if $(REVIEW),--review "$(REVIEW)")
	$(MAKE) --no-print-directory $(MO_FILES)

## readme: paste what the code generates into README.md (diagrams, actions, a consultation)
readme: diagram
	$(BIN)/python -m tests.auxil.readme

## diagram: the state diagrams of every mode (dialogs/*.mmd), generated from the machines
diagram: install
	for mode in consult lookup learn meldcode followup; do $(BIN)/python -m bot --mode $$mode diagram > dialogs/$$mode.mmd; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find $(LOCALES) -name '*.mo' -delete
