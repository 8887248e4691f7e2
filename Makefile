# The same gates locally and on CI (.ci/run).
.PHONY: run test lint bench

run:
	go run ./cmd/kiosque serve --demo

test:
	go test -race -count=1 -timeout 30m ./...

lint:
	gofmt -l $$(git ls-files '*.go') | (! grep .)
	go vet ./...
	staticcheck ./...
	golangci-lint run ./...

bench:
	go test -run XXX -bench . -benchtime 2s ./internal/web/site/
	./bench/article.sh
