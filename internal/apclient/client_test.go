package apclient_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apclient"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/httpsig"
)

// TestClient sends signed fetches and deliveries to a server that checks
// them as Mastodon does, and reads its refusals.
func TestClient(t *testing.T) {
	priv, err := httpsig.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	key := httpsig.Key{ID: "https://kiosque.example/ap/actor#main-key", Private: priv}
	var status int
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig, err := httpsig.ParseSignature(r)
		if err == nil {
			err = sig.Verify(r, body, &priv.PublicKey, time.Now())
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"id":"x"}`))
	}))
	defer srv.Close()
	c := apclient.New(httpclient.New(httpclient.Options{AllowPrivate: true, Timeout: 5 * time.Second}),
		func(context.Context) (httpsig.Key, error) { return key, nil }, clock.System{})
	ctx := context.Background()

	for _, tt := range []struct {
		name      string
		status    int
		header    http.Header
		want      error
		temporary bool
		retry     time.Duration
	}{
		{"OK", http.StatusAccepted, nil, nil, false, 0},
		{"Gone", http.StatusGone, nil, federation.ErrGone, false, 0},
		{"NotFound", http.StatusNotFound, nil, federation.ErrNotFound, false, 0},
		{"Busy", http.StatusTooManyRequests, http.Header{"Retry-After": {"120"}}, nil, true, 2 * time.Minute},
		{"Down", http.StatusBadGateway, nil, nil, true, 0},
		{"Refused", http.StatusForbidden, nil, nil, false, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, header = tt.status, tt.header
			for _, call := range []func() error{
				func() error { return c.Post(ctx, srv.URL+"/inbox", []byte(`{"type":"Create"}`)) },
				func() error { _, err := c.Get(ctx, srv.URL+"/users/alice?page=1"); return err },
			} {
				err := call()
				var re *federation.RemoteError
				switch {
				case tt.status < 300 && err != nil:
					t.Fatalf("error %v", err)
				case tt.want != nil && !errors.Is(err, tt.want):
					t.Fatalf("error %v, want %v", err, tt.want)
				case tt.status >= 400 && tt.want == nil:
					if !errors.As(err, &re) || re.Status != tt.status || re.Temporary != tt.temporary || re.RetryAfter != tt.retry {
						t.Fatalf("error %#v", err)
					}
				}
			}
		})
	}

	t.Run("NoAnswer", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		url := dead.URL
		dead.Close()
		var re *federation.RemoteError
		if err := c.Post(ctx, url+"/inbox", []byte(`{}`)); !errors.As(err, &re) || !re.Temporary || re.Status != 0 {
			t.Fatalf("error %#v", err)
		}
	})
	_ = rsa.PublicKey{}
}
