package app

import (
	"context"
	"crypto/rsa"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/kiosque/kiosque/internal/apclient"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/federation/vocab"
	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/httpsig"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/web"
)

// buildFederation makes the publication's fediverse actor: its key, kept
// in the database so every instance signs alike, a signed client, and the
// service.
func (a *App) buildFederation(clk clock.Clock) {
	base := a.Config.PublicBaseURL()
	keys := &actorKey{db: a.DB}
	hc := httpclient.New(httpclient.Options{UserAgent: "kiosque (+" + base + ")", AllowPrivate: a.Config.AllowPrivateNetworks})
	keyID := vocab.MainKeyID(base + "/ap/actor")
	client := apclient.New(hc, func(ctx context.Context) (httpsig.Key, error) {
		k, _, err := keys.get(ctx)
		if err != nil {
			return httpsig.Key{}, err
		}
		return httpsig.Key{ID: keyID, Private: k}, nil
	}, clk)
	a.Federation = federation.New(federation.Deps{
		Store:    storage.NewFederationStore(a.DB),
		Fetch:    client,
		Articles: a.Content,
		Replies:  a.Comments,
		Settings: a.Settings.Get,
		Clock:    clk,
		Log:      a.Log.With("component", "federation"),
		BaseURL:  base,
		Paths: federation.Paths{
			Article:     func(art *content.Article) string { return web.ArticlePath(art, a.Settings.Get().Location()) },
			ArticleSlug: web.ArticleSlugOf,
			Tag:         web.TagPath,
			Author:      web.AuthorPath,
		},
		PublicKey: func(ctx context.Context) (string, error) {
			_, pem, err := keys.get(ctx)
			return pem, err
		},
		Version: buildVersion(),
	})
}

// buildVersion is kiosque's module version, for NodeInfo ("dev" for a
// build from a work tree).
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "dev"
}

// actorKey is the publication's RSA key, read (or made) the first time it
// is needed: making one takes a moment, which a site that never federates
// does not spend.
type actorKey struct {
	db *storage.DB

	mu  sync.Mutex
	key *rsa.PrivateKey
	pem string
}

func (k *actorKey) get(ctx context.Context) (*rsa.PrivateKey, string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, k.pem, nil
	}
	private, err := k.db.SecretValue(ctx, "activitypub_key", func() (string, error) {
		key, err := httpsig.GenerateKey()
		if err != nil {
			return "", err
		}
		return httpsig.PrivateKeyPEM(key)
	})
	if err != nil {
		return nil, "", fmt.Errorf("fediverse key: %w", err)
	}
	key, err := httpsig.ParsePrivateKeyPEM(private)
	if err != nil {
		return nil, "", fmt.Errorf("fediverse key: %w", err)
	}
	pub, err := httpsig.PublicKeyPEM(&key.PublicKey)
	if err != nil {
		return nil, "", fmt.Errorf("fediverse key: %w", err)
	}
	k.key, k.pem = key, pub
	return key, pub, nil
}
