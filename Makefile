# onemap: make run starts the server with its embedded database and the
# Luohe demo data; make test runs every test; make bench prints tile speed
# and the dashboard's, the ledger export's and an import's at 10,000 projects,
# the compliance check's and a 100,000-polygon land import's;
# make fuzz runs every fuzz target for FUZZTIME each.
GO      ?= go
FUZZTIME ?= 30s
BIN     := bin/onemap
DATA    ?= .data
WEB_SRC := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html \
           frontend/package.json frontend/vite.config.js frontend/style.json

.PHONY: run test fuzz bench build deps web lint clean

deps:
	@bash scripts/deps.sh

frontend/dist/index.html: $(WEB_SRC) frontend/package-lock.json
	cd frontend && npm run build

web: deps frontend/dist/index.html

build: web
	$(GO) build -o $(BIN) ./cmd/onemap

run: build
	$(BIN) seed --if-empty --data $(DATA)
	exec $(BIN) serve --data $(DATA)

test:
	@bash scripts/deps.sh --browser
	@$(MAKE) --no-print-directory web
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

fuzz: deps
	FUZZTIME=$(FUZZTIME) GO=$(GO) bash scripts/fuzz.sh

bench: build
	$(GO) run ./cmd/onemap-bench

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...

clean:
	rm -rf bin frontend/dist/assets frontend/dist/index.html
