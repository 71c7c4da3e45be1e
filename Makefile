# Two entry points, each doing all of its set-up on a fresh machine (see scripts/setup.sh):
#   make test   type-check, lint, build, the documented install from packed tarballs, and every test
#               (unit, contract on the three layers, live faults)
#   make demo   run the quickstart example against real podman
SHELL := /bin/bash
.DEFAULT_GOAL := test
# podman reads CONTAINERS_CONF; setup.sh writes the override's path here only when podman needs it
ENV := if [ -s .containers-conf ]; then export CONTAINERS_CONF="$$(cat .containers-conf)"; fi

.PHONY: setup check lint build docs test demo clean

setup:
	@bash scripts/setup.sh

check: setup
	pnpm run check

lint: setup
	pnpm run lint

build: setup
	pnpm run build

# vitest's own summary comes last otherwise: repeat the plain "N passed, N failed" line at the end
test: setup
	pnpm run check
	pnpm run lint
	pnpm run build
	pnpm run docs
	@$(ENV); bash scripts/check-install.sh
	@$(ENV); set -o pipefail; pnpm run test 2>&1 | tee packages/podman/build/test-output.log; \
	  status=$$?; grep -E '^vitest: [0-9]+ passed' packages/podman/build/test-output.log | tail -n 1; exit $$status

docs: setup
	pnpm run docs

demo: setup
	pnpm run build
	@$(ENV); pnpm run demo

clean:
	rm -rf packages/*/dist packages/*/build
