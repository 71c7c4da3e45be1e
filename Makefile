# Two entry points, each doing all of its set-up on a fresh machine (see scripts/setup.sh):
#   make test   type-check, lint, build, the documented install from packed tarballs, and every test
#               (unit, contract on the three layers, live faults)
#   make demo   run the quickstart example of each edition (Effect 3, Effect 4) against real podman
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

# the Effect 4 edition's tests run on Node 22 (scripts/node22.sh installs it from the registry when
# the machine's Node is older); the last line adds both runs up as "N passed, N failed"
test: setup
	pnpm run check
	pnpm run lint
	pnpm run build
	pnpm run docs
	@$(ENV); bash scripts/check-install.sh
	@$(ENV); bash scripts/test-all.sh

docs: setup
	pnpm run docs

# one quickstart per edition: Effect 3 on the machine's Node, Effect 4 on Node 22
demo: setup
	pnpm run build
	@$(ENV); pnpm run demo
	@$(ENV); bash scripts/demo-effect4.sh

clean:
	rm -rf packages/*/dist packages/*/build
