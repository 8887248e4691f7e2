package web

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// Metrics counts requests for Prometheus, on its own registry (no global
// state, so tests can build several servers).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// Cache hits, resolved once.
	hitOK, hitNotModified prometheus.Counter
	hitDuration           prometheus.Observer
}

// NewMetrics registers the HTTP, page cache, Go runtime and process collectors.
func NewMetrics(cache *pagecache.Cache) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kiosque_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "kiosque_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern.",
			Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 5},
		}, []string{"route"}),
	}
	m.hitOK = m.requests.WithLabelValues("cache", "200")
	m.hitNotModified = m.requests.WithLabelValues("cache", "304")
	m.hitDuration = m.duration.WithLabelValues("cache")
	reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if cache != nil {
		reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kiosque_page_cache_bytes", Help: "Memory held by the page cache."},
				func() float64 { return float64(cache.Stats().Bytes) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kiosque_page_cache_entries", Help: "Pages held by the page cache."},
				func() float64 { return float64(cache.Stats().Entries) }),
		)
	}
	return m
}

// Registry returns the registry, for other packages' collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// hit counts an answer from the page cache.
func (m *Metrics) hit(status int, start time.Time) {
	if status == http.StatusNotModified {
		m.hitNotModified.Inc()
	} else {
		m.hitOK.Inc()
	}
	m.hitDuration.Observe(time.Since(start).Seconds())
}

// Wrap counts and times every request it sees, by route pattern. It goes
// inside CacheFront, which counts the cache's answers itself (route
// "cache"), so the hot path pays for no label lookup.
func (m *Metrics) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		m.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// Handler serves /metrics: with a token, to bearers of it; without, only
// to clients on the loopback interface that did not come through a proxy.
func (m *Metrics) Handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !metricsAllowed(r, token) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", CacheNoStore)
		h.ServeHTTP(w, r)
	})
}

func metricsAllowed(r *http.Request, token string) bool {
	if token != "" {
		got := r.Header.Get("Authorization")
		want := "Bearer " + token
		return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
