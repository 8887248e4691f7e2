// Package app wires kiosque together: it opens storage, builds the domain
// services, the job queue and the web handlers, and runs the server. It
// holds no rules of its own.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/jobs"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/mail"
	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/media/blob"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/admin"
	"github.com/kiosque/kiosque/internal/web/ap"
	"github.com/kiosque/kiosque/internal/web/api"
	"github.com/kiosque/kiosque/internal/web/pagecache"
	"github.com/kiosque/kiosque/internal/web/site"
)

// Options tune New beyond the configuration.
type Options struct {
	Logger *slog.Logger
	// Clock defaults to the system clock.
	Clock clock.Clock
	// Serve builds the web handlers and a working job queue; without it
	// the App only writes (commands such as migrate, user, import).
	Serve bool
	// SweepInterval overrides how often overdue scheduled articles are
	// published (tests shorten it).
	SweepInterval time.Duration
	// Middleware, when set, wraps the whole HTTP handler inside the
	// recovery and metrics layers (for embedding kiosque, and for tests).
	Middleware func(http.Handler) http.Handler
	// PasswordCost is the work factor of new password hashes; the zero
	// value is users.DefaultPasswordCost (tests lower it).
	PasswordCost users.PasswordCost
}

// App is a running kiosque: storage, services, jobs and web.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *storage.DB
	Queue    *jobs.Queue
	Content  *content.Service
	Users    *users.Service
	Media    *media.Library
	Comments *comments.Service
	// Donations takes gifts online when Stripe is configured.
	Donations *donations.Service
	// Shop is the bookshop: catalogue, carts, orders.
	Shop *shop.Service
	// Syndication posts the articles to the newsroom's social accounts.
	Syndication *syndication.Service
	Settings    *settings.Service
	// Federation is the publication on the fediverse (ActivityPub).
	Federation *federation.Service
	// Redirects sends old addresses (WordPress permalinks) to new ones.
	Redirects *redirects.Service
	Cache     *pagecache.Cache
	Catalog   *locale.Catalog

	handler       http.Handler
	site          *site.Handler
	catalog       *storage.CatalogStore
	campaignPurge *throttledPurge
	shopPurge     *throttledPurge
	lock          *dataLock

	clock clock.Clock
}

// New opens the database named by cfg, migrates it and builds everything.
// Errors are meant to be shown as one line.
func New(ctx context.Context, cfg config.Config, opts Options) (*App, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	a := &App{Config: cfg, Log: opts.Logger, clock: opts.Clock}
	dsn := cfg.DatabaseDSN()
	if opts.Serve && !storage.IsPostgresURL(dsn) {
		lock, err := lockDataDir(cfg.Data)
		if err != nil {
			return nil, err
		}
		a.lock = lock
	}
	db, err := storage.Open(ctx, dsn, storage.Options{Logger: opts.Logger})
	if err != nil {
		a.releaseLock()
		return nil, fmt.Errorf("open database: %w", err)
	}
	a.DB = db
	if err := db.Migrate(ctx, func(ctx context.Context) error { return jobs.Migrate(ctx, db) }); err != nil {
		a.closeQuietly()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	if err := a.build(ctx, opts); err != nil {
		a.closeQuietly()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context, opts Options) error {
	cat, err := locale.LoadCatalog()
	if err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	a.Catalog = cat
	renderer := textproc.NewRenderer()
	a.Settings = settings.NewService(storage.NewSettingsStore(a.DB), opts.Clock, renderer)
	if err := a.Settings.Reload(ctx); err != nil {
		return err
	}
	analyzers := map[locale.Lang]*search.Analyzer{}
	for _, l := range locale.Langs() {
		analyzers[l] = search.New(string(l))
	}
	lang := func() content.Language {
		st := a.Settings.Get()
		return content.Language{Typography: st.Style(), Analyzer: analyzers[st.Lang()]}
	}
	a.Redirects = redirects.NewService(storage.NewRedirectStore(a.DB), opts.Clock, a.Log.With("component", "redirects"))
	a.Content = content.NewService(storage.NewContentStore(a.DB), opts.Clock, renderer, lang)
	blobs, err := blob.NewDir(a.Config.MediaDir())
	if err != nil {
		return err
	}
	a.Media = media.NewLibrary(storage.NewMediaStore(a.DB), blobs, media.NewProcessor(media.Limits{}, nil), opts.Clock, 2)
	a.Content.UseImages(a.Media)
	if err := a.buildComments(ctx, opts.Clock); err != nil {
		return err
	}
	if err := a.buildDonations(ctx, opts.Clock); err != nil {
		return err
	}
	if err := a.buildShop(ctx, opts.Clock); err != nil {
		return err
	}
	if err := a.buildSyndication(opts.Clock); err != nil {
		return err
	}
	a.buildFederation(opts.Clock)
	a.Users = users.NewService(storage.NewUserStore(a.DB), storage.NewAuthStore(a.DB), opts.Clock, users.AuthOptions{
		ResetEmail:   a.resetEmail,
		Issuer:       a.Settings.Get().Title,
		PasswordCost: opts.PasswordCost,
	})

	workers := 0
	if opts.Serve {
		workers = a.Config.Workers
	}
	mailer, err := a.mailer()
	if err != nil {
		return err
	}
	q, err := jobs.New(a.DB, jobs.Services{Content: a.Content, Comments: a.Comments, Donations: a.Donations, Shop: a.Shop, Mailer: mailer,
		Syndication: a.Syndication, Federation: a.Federation, Observers: []jobs.ArticleObserver{a.Syndication, a.Federation}}, jobs.Options{Logger: a.Log, Workers: workers, SweepInterval: opts.SweepInterval})
	if err != nil {
		return err
	}
	a.Queue = q
	a.DB.SetEnqueuer(q)
	if opts.Serve {
		return a.buildWeb(opts)
	}
	return nil
}

func (a *App) buildWeb(opts Options) error {
	assets, err := web.NewAssets()
	if err != nil {
		return err
	}
	views, err := web.NewViews(a.Catalog, assets)
	if err != nil {
		return err
	}
	if a.Config.PageCache {
		a.Cache = pagecache.New(a.Config.PageCacheMB << 20)
	}
	base := a.Config.PublicBaseURL()
	proxies, err := a.Config.Proxies()
	if err != nil {
		return err
	}
	a.site = site.New(site.Deps{Content: a.Content, Comments: a.Comments, Donations: a.Donations, Shop: a.Shop, Settings: a.Settings, Views: views, Catalog: a.Catalog,
		Redirects: a.Redirects, Cache: a.Cache, Proxies: proxies, Secure: a.Config.Secure(), BaseURL: base, Log: a.Log})
	back := admin.New(admin.Deps{Content: a.Content, Users: a.Users, Settings: a.Settings, Media: a.Media, Comments: a.Comments, Donations: a.Donations,
		Shop: a.Shop, PackingSlip: a.RenderPackingSlip, Syndication: a.Syndication, Redirects: a.Redirects, Federation: a.Federation,
		Audit: storage.NewAuditStore(a.DB), Views: views, Catalog: a.Catalog, Clock: opts.Clock,
		Proxies: proxies, Secure: a.Config.Secure(), BaseURL: base, Log: a.Log})
	apH := ap.New(ap.Deps{Federation: a.Federation, Content: a.Content, Clock: opts.Clock, ArticleSlug: web.ArticleSlugOf,
		Log: a.Log.With("component", "activitypub")})
	apiH := api.New(api.Deps{Content: a.Content, Comments: a.Comments, Settings: a.Settings, Catalog: a.Catalog, Cache: a.Cache, BaseURL: base, Log: a.Log})
	metrics := web.NewMetrics(a.Cache)

	assets.NotFound = http.HandlerFunc(a.site.NotFound)
	mux := http.NewServeMux()
	a.site.Register(mux)
	apH.Register(mux)
	mux.Handle("GET /static/{file}", assets)
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	mux.Handle("GET /metrics", metrics.Handler(a.Config.MetricsToken))
	apiMux := http.NewServeMux()
	apiH.Register(apiMux)
	(&api.Webhooks{Donations: a.Donations, Shop: a.Shop, Log: a.Log.With("component", "webhooks")}).Register(mux)

	// From the outside in: recovery, security headers, access log, the
	// page cache (which counts its own answers), then metrics and routing
	// for what the cache did not answer.
	files := web.MediaFiles(a.Media.Blobs(), http.HandlerFunc(a.site.NotFound))
	h := web.Mount("/api/", apiMux, web.Mount("/admin/", back.Handler(), web.Mount(media.URLPrefix, files, mux)))
	h = metrics.Wrap(h)
	if a.Cache != nil {
		h = web.CacheFront(a.Cache, metrics, h)
	}
	// In front of the page cache, which holds pages: an article's address
	// asked for ActivityPub JSON answers its object.
	h = apH.Negotiate(h)
	if opts.Middleware != nil {
		h = opts.Middleware(h)
	}
	if a.Config.AccessLog {
		h = web.AccessLog(a.Log)(h)
	}
	h = web.SecurityHeaders{HSTS: a.Config.Secure()}.Wrap(h)
	h = web.Recover(a.Log, a.site.InternalError)(h)
	a.handler = h

	a.campaignPurge = &throttledPurge{every: campaignPurgeEvery, purge: func() {
		if a.Cache != nil {
			a.Cache.Purge(pagecache.TagCampaign)
		}
	}}
	a.shopPurge = &throttledPurge{every: shopPurgeEvery, purge: func() {
		if a.Cache != nil {
			a.Cache.Purge(pagecache.TagShop)
		}
	}}
	a.DB.OnChange(a.onChange)
	return nil
}

// onChange keeps in-memory state coherent with the database: it runs after
// every commit on this instance and, on PostgreSQL, on every other one.
func (a *App) onChange(changes []storage.Change) {
	var tags []string
	for _, c := range changes {
		switch c.Entity {
		case storage.EntityArticle:
			if len(c.IDs) == 0 {
				tags = append(tags, pagecache.TagAll)
				continue
			}
			tags = append(tags, pagecache.TagLists)
			for _, id := range c.IDs {
				tags = append(tags, pagecache.ArticleTag(id))
			}
		case storage.EntityComment:
			// The articles' own pages (and feeds) show their comments, and
			// the site's comments feed shows them all.
			tags = append(tags, pagecache.TagComments)
			for _, id := range c.IDs {
				tags = append(tags, pagecache.ArticleTag(id))
			}
		case storage.EntityDonation:
			// The campaign's bar under the appeal: at most one purge per
			// campaignPurgeEvery, however many gifts a burst brings.
			a.site.InvalidateCampaign()
			a.campaignPurge.request()
		case storage.EntityBook:
			// Catalogue pages and the books under articles: every sale
			// changes a stock, so at most one purge per shopPurgeEvery.
			a.shopPurge.request()
		case storage.EntityOrder:
			// No public page shows an order: the customer's own page is
			// never cached.
		case storage.EntitySocial:
			// Social accounts and deliveries are the back office's only.
		case storage.EntityRedirect:
			// No cached page depends on the redirects: they answer only
			// what would be a 404, never cached (see package site).
			a.Redirects.Invalidate()
		case storage.EntitySettings, storage.EntityAll:
			a.Redirects.Invalidate()
			if err := a.Settings.Reload(context.Background()); err != nil {
				a.Log.Error("reload settings", "error", err)
			}
			a.site.Invalidate()
			tags = append(tags, pagecache.TagAll)
		default:
			a.site.Invalidate()
			tags = append(tags, pagecache.TagAll)
		}
	}
	if a.Cache != nil && len(tags) > 0 {
		a.Cache.Purge(tags...)
	}
}

// mailer returns the SMTP sender the configuration names, or one that
// writes emails to the log (a fresh install, the demo).
func (a *App) mailer() (jobs.Mailer, error) {
	if a.Config.SMTPURL == "" {
		return mail.NewLog(a.Log.With("component", "mail")), nil
	}
	s, err := a.Config.SMTP()
	if err != nil {
		return nil, err
	}
	tls, err := mail.ParseTLSMode(s.TLS)
	if err != nil {
		return nil, fmt.Errorf("smtp-url: %w", err)
	}
	m, err := mail.NewSMTP(mail.Config{Host: s.Host, Port: s.Port, Username: s.Username, Password: s.Password, From: s.From, TLS: tls})
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return m, nil
}

// resetEmail writes the password reset email in the site's language.
func (a *App) resetEmail(u *users.User, token string) job.Email {
	st := a.Settings.Get()
	p := a.Catalog.Printer(st.Lang())
	link := a.Config.PublicBaseURL() + "/admin/reset?token=" + token
	return job.Email{
		To:      []string{u.Email},
		Subject: p.T("mail.reset.subject", st.Title),
		Text:    p.T("mail.reset.text", u.Name, st.Title, link, int(users.ResetLifetime/time.Minute)),
	}
}

// Handler returns the HTTP handler of the whole site.
func (a *App) Handler() http.Handler { return a.handler }

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", web.CacheNoStore)
	if err := a.DB.Ping(ctx); err != nil {
		a.Log.Error("health check failed", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":"unavailable","database":%q}`+"\n", a.DB.Dialect().String())
		return
	}
	fmt.Fprintf(w, `{"status":"ok","database":%q}`+"\n", a.DB.Dialect().String())
}

// Serve runs the job queue and the HTTP server on ln until ctx ends, then
// shuts down gracefully: in-flight requests and jobs get
// Config.ShutdownTimeout to finish.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	if a.handler == nil {
		return errors.New("serve: the app was built without Options.Serve")
	}
	if err := a.Queue.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	// The bookshop's search index loads in the background: the first
	// search would otherwise wait for it (seconds at 100,000 books).
	warmed := make(chan struct{})
	go func() {
		defer close(warmed)
		if err := a.catalog.Warm(ctx); err != nil && ctx.Err() == nil {
			a.Log.Warn("load the bookshop's search index", "error", err)
		}
	}()
	defer func() { <-warmed }()
	// Uses of redirects are counted in memory and written in batches.
	// They get their last flush once the server has stopped.
	hctx, stopHits := context.WithCancel(ctx)
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		a.Redirects.Run(hctx, redirectHitsEvery)
	}()
	defer func() {
		stopHits()
		<-flushed
	}()
	// Timeouts: headers must arrive within 10 s and idle keep-alive
	// connections close after 2 minutes, which bounds slow clients holding
	// connections. No ReadTimeout or WriteTimeout: public requests have no
	// body, and those deadlines would be reset on every request of every
	// connection, a cost the page cache's hot path would feel.
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var serveErr error
	select {
	case err := <-errc:
		serveErr = err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "timeout", a.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if qerr := a.Queue.Stop(sctx); qerr != nil && !errors.Is(qerr, context.Canceled) {
		err = errors.Join(err, fmt.Errorf("stop job queue: %w", qerr))
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(serveErr, err)
	}
	return err
}

// Close releases the database and the data directory lock.
func (a *App) Close() error {
	var err error
	if a.DB != nil {
		err = a.DB.Close()
	}
	a.releaseLock()
	return err
}

func (a *App) closeQuietly() { _ = a.Close() }

func (a *App) releaseLock() {
	if a.lock != nil {
		a.lock.release()
		a.lock = nil
	}
}
