# framing: `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
CORPUS ?= data/iran-israel-2024-04
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))

# Reproducible runs: fixed hash seed, no user backend override, no user config.
export PYTHONHASHSEED := 0
unexport MPLBACKEND
export MPLCONFIGDIR := $(CURDIR)/$(VENV)/mplconfig
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: help venv venv-dask test-dask report browser student test test-py test-nb figures lab bench bench-real metrics annotate clean-log check-stable validate train bench-scaling

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet --quiet -r requirements.txt  # -qq: errors only, no warnings
	@$(PY) -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'framing-repo.pth').write_text('$(CURDIR)\n')"
	@mkdir -p $(MPLCONFIGDIR)
	@$(PY) -c "import matplotlib.font_manager" 2>/dev/null  # warm the font cache once, so no notebook prints it
	@$(PY) -m compileall -q analysis benchmarks  # bytecode once, as pip does for installed packages (PYTHONDONTWRITEBYTECODE would leave every start compiling)
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP) ## create .venv from requirements.txt (done by the other targets when needed)

DASK_STAMP := $(VENV)/.dask-$(shell cat requirements.txt requirements-dask.txt | cksum | cut -d' ' -f1)

$(DASK_STAMP): $(STAMP) requirements-dask.txt
	$(PY) -m pip install --disable-pip-version-check --quiet --quiet -r requirements.txt -r requirements-dask.txt
	@rm -f $(VENV)/.dask-* && touch $@

venv-dask: $(DASK_STAMP) ## add the optional Dask engine (requirements-dask.txt) to .venv

test-dask: $(DASK_STAMP) ## the Dask engine on a local cluster of two worker processes: the same table as the local engine
	$(PY) -m pytest tests/test_dask.py -q -p no:cacheprovider

test: test-py test-nb ## run the unit tests and strict nbval on every notebook

test-py: $(STAMP) ## unit and property tests only
	$(PY) -m pytest tests -q

test-nb: $(STAMP) ## strict nbval: every notebook re-executes to its committed outputs
	@test -n "$(NOTEBOOKS)" || (echo "no notebooks found" >&2; exit 1)
	FRAMING_FIGURES_DIR=$$(mktemp -d) $(PY) -m pytest --nbval --nbval-sanitize-with notebooks/sanitize.cfg --nbval-kernel-name python3 -p no:cacheprovider -q $(NOTEBOOKS)

figures: $(STAMP) ## run every notebook in place and write figures/ (bundled corpus)
	$(PY) -m analysis.run_notebooks $(NOTEBOOKS)

# CORPUS and OUT reach the shell as environment variables, quoted, never as text of the command:
# a space or a ';' in a path is part of the path.
figures-for: export FOR_CORPUS := $(value CORPUS)
figures-for: export FOR_OUT := $(value OUT)
figures-for: $(STAMP) ## run the notebooks on CORPUS=path into OUT=folder (never into notebooks/, figures/, data/)
	@test -n "$$FOR_OUT" || (echo "usage: make figures-for CORPUS=data/my-event OUT=out/my-event" >&2; exit 2)
	$(PY) -m analysis.run_notebooks --corpus "$$FOR_CORPUS" --out "$$FOR_OUT" $(NOTEBOOKS)

check-stable: figures ## re-run every notebook and fail if any committed notebook or figure changed
	@git diff --quiet --exit-code -- notebooks figures && test -z "$$(git status --porcelain -- notebooks figures)" \
	  || (echo "make figures changed committed files:" >&2; git status --short -- notebooks figures >&2; exit 1)
	@echo "notebooks and figures are byte-identical to the committed ones"

student: $(STAMP) ## write the student edition of the lessons into student/ (no solutions, no outputs, a hint per exercise)
	$(PY) -m analysis.student student

report: $(STAMP) ## write report.html: one self-contained page for CORPUS (figures, tables, evidence)
	$(PY) -m analysis report "$(CORPUS)" --out report.html

browser: ## install headless Chromium (Debian package chromium) for the report's browser test
	@command -v chromium >/dev/null 2>&1 || { apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }; } || \
	  echo "browser: chromium could not be installed here; tests/test_report.py will skip its browser test"

lab: $(STAMP) ## open JupyterLab at the repository root on the lesson index (LESSONS.md)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" LESSONS.md

ARTICLES ?= 300,3000

bench: $(STAMP) ## time the metrics command as shipped against the naive approach (ARTICLES=300,3000; MEASURES=names: only those)
	$(PY) benchmarks/bench_metrics.py --articles $(ARTICLES) $(if $(MEASURES),--measures "$(MEASURES)")

EXTERNAL ?= ../shared/external-gold

validate: $(STAMP) ## score every measure on external human labels (EXTERNAL=dir) beside baselines; writes docs/validation.md
	$(PY) -m analysis validate --external "$(EXTERNAL)"

train: $(STAMP) ## refit the learned layers from the external development data (EXTERNAL=dir) into analysis/measures/*/model.json
	$(PY) -m analysis.validation.train --external "$(EXTERNAL)"

bench-real: export FOR_EXTERNAL := $(value EXTERNAL)
bench-real: $(STAMP) ## the same benchmark on real articles: the NewsDiscourse development articles under EXTERNAL (skipped where absent)
	@if [ -d "$$FOR_EXTERNAL/newsdiscourse/articles" ]; then \
	  $(PY) benchmarks/bench_metrics.py --real "$$FOR_EXTERNAL/newsdiscourse/articles"; \
	else echo "bench-real: no $$FOR_EXTERNAL/newsdiscourse/articles here: skipped (EXTERNAL=folder)"; fi

bench-scaling: $(STAMP) ## time per character of one article, one sentence and one quotation-heavy article as they grow (fails past a 1.5x ratio)
	$(PY) benchmarks/bench_scaling.py

metrics: $(STAMP) ## print the metrics table of CORPUS as CSV
	$(PY) -m analysis metrics $(CORPUS)

clean-log: $(STAMP) ## show every line cleaning dropped or changed in CORPUS
	$(PY) -m analysis clean $(CORPUS)
