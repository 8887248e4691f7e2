package stripe_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/payments/stripe"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
)

// createdPrice stands, in a wanted form value, for the id of the price
// the same test created (stripe-mock's answer to POST /v1/prices).
const createdPrice = "<created price id>"

// headerPrefix marks a wanted value as a request header, not a form field.
const headerPrefix = "header:"

func oneOffRequest() payments.CheckoutRequest {
	return payments.CheckoutRequest{
		Reference:      "don_42",
		Mode:           payments.OneOff,
		AmountCents:    1500,
		Currency:       "eur",
		Description:    "Don au Veilleur",
		Email:          "claire.martin@example.fr",
		Locale:         "fr",
		SuccessURL:     "https://veilleur.example/dons/merci?campagne=hiver#fin",
		CancelURL:      "https://veilleur.example/dons/annule",
		Metadata:       map[string]string{"campagne": "hiver-2026"},
		IdempotencyKey: "checkout:don_42",
	}
}

func monthlyRequest() payments.CheckoutRequest {
	return payments.CheckoutRequest{
		Reference:      "don_43",
		Mode:           payments.Monthly,
		AmountCents:    2500,
		Currency:       "eur",
		Description:    "Don mensuel au Veilleur",
		Email:          "paul.durand@example.fr",
		Locale:         "fr",
		SuccessURL:     "https://veilleur.example/dons/merci",
		CancelURL:      "https://veilleur.example/dons/annule",
		Metadata:       map[string]string{"campagne": "hiver-2026"},
		IdempotencyKey: "checkout:don_43",
	}
}

// priceList is a Prices list answer holding one monthly price.
func priceList(id string, amount int64) string {
	return `{"object":"list","url":"/v1/prices","has_more":false,"data":[{"id":"` + id +
		`","object":"price","active":true,"currency":"eur","unit_amount":` + jsonInt(amount) +
		`,"lookup_key":"kiosque-monthly-eur-2500","type":"recurring",` +
		`"recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"},"product":"kiosque-monthly"}]}`
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestCreateCheckout(t *testing.T) {
	mock := stripemock.Start(t)

	monthlySession := map[string]string{
		"mode":                                           "subscription",
		"line_items[0][price]":                           createdPrice,
		"line_items[0][quantity]":                        "1",
		"client_reference_id":                            "don_43",
		"customer_email":                                 "paul.durand@example.fr",
		"locale":                                         "fr",
		"metadata[kiosque_reference]":                    "don_43",
		"metadata[campagne]":                             "hiver-2026",
		"metadata[kiosque_kind]":                         "donation",
		"subscription_data[description]":                 "Don mensuel au Veilleur",
		"subscription_data[metadata][kiosque_kind]":      "donation",
		"subscription_data[metadata][kiosque_reference]": "don_43",
		"subscription_data[metadata][campagne]":          "hiver-2026",
		"success_url":                                    "https://veilleur.example/dons/merci?session_id={CHECKOUT_SESSION_ID}",
		"cancel_url":                                     "https://veilleur.example/dons/annule",
		headerPrefix + "Idempotency-Key":                 "checkout:don_43",
	}
	monthlySessionWith := func(price string) map[string]string {
		m := make(map[string]string, len(monthlySession))
		for k, v := range monthlySession {
			m[k] = v
		}
		m["line_items[0][price]"] = price
		return m
	}
	priceLookup := map[string]string{
		"lookup_keys[0]": "kiosque-monthly-eur-2500",
		"active":         "true",
	}
	productCreate := map[string]string{
		"id":                             "kiosque-monthly",
		"name":                           "Don mensuel au Veilleur",
		headerPrefix + "Idempotency-Key": "checkout:don_43/product",
	}
	priceCreate := map[string]string{
		"currency":                       "eur",
		"unit_amount":                    "2500",
		"product":                        "kiosque-monthly",
		"lookup_key":                     "kiosque-monthly-eur-2500",
		"transfer_lookup_key":            "true",
		"recurring[interval]":            "month",
		"recurring[interval_count]":      "1",
		headerPrefix + "Idempotency-Key": "checkout:don_43/price",
	}
	monthlyAbsent := []string{"submit_type", "payment_intent_data[metadata][kiosque_reference]", "line_items[0][price_data][unit_amount]"}
	newPriceRoutes := []string{"GET /v1/prices", "POST /v1/products", "POST /v1/prices", "POST /v1/checkout/sessions"}

	tests := []struct {
		name       string
		req        payments.CheckoutRequest
		stubs      map[string]stub
		wantRoutes []string
		// want holds, per route, form values (or headers) the request
		// must carry; absent, form fields it must not.
		want   map[string]map[string]string
		absent map[string][]string
	}{
		{
			name:       "OK/OneOff",
			req:        oneOffRequest(),
			wantRoutes: []string{"POST /v1/checkout/sessions"},
			want: map[string]map[string]string{"POST /v1/checkout/sessions": {
				"mode":                                   "payment",
				"submit_type":                            "donate",
				"line_items[0][price_data][currency]":    "eur",
				"line_items[0][price_data][unit_amount]": "1500",
				"line_items[0][price_data][product_data][name]":    "Don au Veilleur",
				"line_items[0][quantity]":                          "1",
				"client_reference_id":                              "don_42",
				"customer_email":                                   "claire.martin@example.fr",
				"locale":                                           "fr",
				"metadata[kiosque_reference]":                      "don_42",
				"metadata[campagne]":                               "hiver-2026",
				"payment_intent_data[description]":                 "Don au Veilleur",
				"payment_intent_data[metadata][kiosque_reference]": "don_42",
				"payment_intent_data[metadata][campagne]":          "hiver-2026",
				"metadata[kiosque_kind]":                           "donation",
				"payment_intent_data[metadata][kiosque_kind]":      "donation",
				"success_url":                                      "https://veilleur.example/dons/merci?campagne=hiver&session_id={CHECKOUT_SESSION_ID}#fin",
				"cancel_url":                                       "https://veilleur.example/dons/annule",
				headerPrefix + "Idempotency-Key":                   "checkout:don_42",
			}},
			absent: map[string][]string{"POST /v1/checkout/sessions": {"subscription_data[metadata][kiosque_reference]", "line_items[0][price]",
				"line_items[1][quantity]", "line_items[0][price_data][product_data][description]", "expires_at",
				"shipping_address_collection[allowed_countries][0]"}},
		},
		{
			// stripe-mock's price list is a fixture without our lookup
			// key, so the price (and the product) are created.
			name:       "OK/MonthlyNewPrice",
			req:        monthlyRequest(),
			wantRoutes: newPriceRoutes,
			want: map[string]map[string]string{
				"GET /v1/prices":             priceLookup,
				"POST /v1/products":          productCreate,
				"POST /v1/prices":            priceCreate,
				"POST /v1/checkout/sessions": monthlySession,
			},
			absent: map[string][]string{"POST /v1/checkout/sessions": monthlyAbsent},
		},
		{
			name:       "OK/MonthlyExistingPrice",
			req:        monthlyRequest(),
			stubs:      map[string]stub{"GET /v1/prices": {http.StatusOK, priceList("price_kiosque_eur_2500", 2500)}},
			wantRoutes: []string{"GET /v1/prices", "POST /v1/checkout/sessions"},
			want: map[string]map[string]string{
				"GET /v1/prices":             priceLookup,
				"POST /v1/checkout/sessions": monthlySessionWith("price_kiosque_eur_2500"),
			},
			absent: map[string][]string{"POST /v1/checkout/sessions": monthlyAbsent},
		},
		{
			name: "OK/MonthlyExistingProduct",
			req:  monthlyRequest(),
			stubs: map[string]stub{"POST /v1/products": {http.StatusBadRequest,
				jsonError("invalid_request_error", "resource_already_exists", "Product already exists.")}},
			wantRoutes: newPriceRoutes,
			want: map[string]map[string]string{
				"POST /v1/prices":            priceCreate,
				"POST /v1/checkout/sessions": monthlySession,
			},
		},
		{
			// A price under the key whose amount was edited by hand is not
			// charged: a new one takes the key over.
			name:       "OK/MonthlyKeyOnOtherAmount",
			req:        monthlyRequest(),
			stubs:      map[string]stub{"GET /v1/prices": {http.StatusOK, priceList("price_kiosque_eur_2000", 2000)}},
			wantRoutes: newPriceRoutes,
			want: map[string]map[string]string{
				"POST /v1/prices":            priceCreate,
				"POST /v1/checkout/sessions": monthlySession,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, backend := newRecorder(t, mock, tt.stubs)
			p := newProvider(t, backend)

			got, err := p.CreateCheckout(context.Background(), tt.req)
			if err != nil {
				t.Fatalf("CreateCheckout: %v", err)
			}
			if got.ID == "" || got.URL == "" || got.ExpiresAt.IsZero() {
				t.Errorf("session = %+v, want an id, a url and an expiry", got)
			}

			reqs := rec.requests()
			if diff := cmp.Diff(tt.wantRoutes, routes(reqs)); diff != "" {
				t.Fatalf("requests (-want +got):\n%s", diff)
			}
			created := ""
			for _, r := range reqs {
				route := r.Method + " " + r.Path
				if r.Status != http.StatusOK && route != "POST /v1/products" {
					t.Errorf("%s answered %d: %s", route, r.Status, r.Body)
				}
				if got := r.Header.Get("Stripe-Version"); got != stripego.APIVersion {
					t.Errorf("%s Stripe-Version = %q, want %q", route, got, stripego.APIVersion)
				}
				if got := r.Header.Get("Authorization"); got != "Bearer "+stripemock.SecretKey {
					t.Errorf("%s Authorization = %q", route, got)
				}
				if route == "POST /v1/prices" {
					var price struct{ ID string }
					if err := json.Unmarshal(r.Body, &price); err != nil || price.ID == "" {
						t.Fatalf("price answer %s: %v", r.Body, err)
					}
					created = price.ID
				}
				for k, want := range tt.want[route] {
					var got string
					var ok bool
					if h, isHeader := strings.CutPrefix(k, headerPrefix); isHeader {
						got, ok = r.Header.Get(h), r.Header.Get(h) != ""
					} else if vs := r.Form[k]; len(vs) == 1 {
						got, ok = vs[0], true
					}
					if want == createdPrice {
						want = created
					}
					if !ok || got != want {
						t.Errorf("%s %s = %q, want %q", route, k, got, want)
					}
				}
				for _, k := range tt.absent[route] {
					if _, ok := r.Form[k]; ok {
						t.Errorf("%s has %s = %q, want none", route, k, r.Form.Get(k))
					}
				}
			}
		})
	}
}

func TestCreateCheckoutInvalid(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "unexpected", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	p := newProvider(t, srv.URL)

	tests := []struct {
		name string
		edit func(*payments.CheckoutRequest)
	}{
		{"ErrNoReference", func(r *payments.CheckoutRequest) { r.Reference = "" }},
		{"ErrLongReference", func(r *payments.CheckoutRequest) { r.Reference = strings.Repeat("x", 201) }},
		{"ErrMode", func(r *payments.CheckoutRequest) { r.Mode = "weekly" }},
		{"ErrZeroAmount", func(r *payments.CheckoutRequest) { r.AmountCents = 0 }},
		{"ErrCurrencyCase", func(r *payments.CheckoutRequest) { r.Currency = "EUR" }},
		{"ErrNoDescription", func(r *payments.CheckoutRequest) { r.Description = " " }},
		{"ErrRelativeSuccessURL", func(r *payments.CheckoutRequest) { r.SuccessURL = "/dons/merci" }},
		{"ErrNoCancelURL", func(r *payments.CheckoutRequest) { r.CancelURL = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := oneOffRequest()
			tt.edit(&req)
			_, err := p.CreateCheckout(context.Background(), req)
			if err == nil {
				t.Fatal("CreateCheckout succeeded, want an error")
			}
			if errors.Is(err, payments.ErrUnavailable) {
				t.Errorf("err = %v, want no ErrUnavailable for an invalid request", err)
			}
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d requests sent for invalid checkouts, want none", n)
	}
}

// closedURL returns the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

func answering(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestCreateCheckoutErrors(t *testing.T) {
	const js = "application/json"
	tests := []struct {
		name            string
		backend         func(t *testing.T) string
		wantUnavailable bool
	}{
		{"ErrClosedPort", closedURL, true},
		{"ErrServiceUnavailable", func(t *testing.T) string {
			return answering(t, http.StatusServiceUnavailable, js, jsonError("api_error", "", "Stripe is down"))
		}, true},
		{"ErrInternal", func(t *testing.T) string {
			return answering(t, http.StatusInternalServerError, js, jsonError("api_error", "", "An unknown error occurred"))
		}, true},
		{"ErrProxyPage", func(t *testing.T) string {
			return answering(t, http.StatusBadGateway, "text/html", "<html><body>502 Bad Gateway</body></html>")
		}, true},
		{"ErrRateLimited", func(t *testing.T) string {
			return answering(t, http.StatusTooManyRequests, js, jsonError("invalid_request_error", "rate_limit", "Too many requests"))
		}, true},
		{"ErrInvalidRequest", func(t *testing.T) string {
			return answering(t, http.StatusBadRequest, js, jsonError("invalid_request_error", "parameter_invalid_integer", "Invalid integer"))
		}, false},
		{"ErrAuthentication", func(t *testing.T) string {
			return answering(t, http.StatusUnauthorized, js, jsonError("invalid_request_error", "", "Invalid API Key provided"))
		}, false},
		{"ErrIdempotency", func(t *testing.T) string {
			return answering(t, http.StatusBadRequest, js, jsonError("idempotency_error", "", "Keys for idempotent requests can only be used with the same parameters"))
		}, false},
	}
	for _, tt := range tests {
		for _, req := range []payments.CheckoutRequest{oneOffRequest(), monthlyRequest()} {
			t.Run(tt.name+"/"+string(req.Mode), func(t *testing.T) {
				p := newProvider(t, tt.backend(t))
				start := time.Now()
				_, err := p.CreateCheckout(context.Background(), req)
				if err == nil {
					t.Fatal("CreateCheckout succeeded, want an error")
				}
				if got := errors.Is(err, payments.ErrUnavailable); got != tt.wantUnavailable {
					t.Errorf("errors.Is(%v, ErrUnavailable) = %v, want %v", err, got, tt.wantUnavailable)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("failed after %s, want at once", d)
				}
			})
		}
	}
}

// TestCreateCheckoutRetry checks that when the connection drops after the
// request was sent (Stripe may or may not have created the session), the
// SDK's retry sends the request's own Idempotency-Key again, so Stripe
// creates one session at most.
func TestCreateCheckoutRetry(t *testing.T) {
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		if len(keys) == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			_ = conn.Close()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"cs_test_retry","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_test_retry","expires_at":1795953600}`))
	}))
	t.Cleanup(srv.Close)
	p, err := stripe.New(stripe.Config{
		SecretKey:         stripemock.SecretKey,
		WebhookSecret:     webhookSecret,
		BackendURL:        srv.URL,
		MaxNetworkRetries: stripego.Int64(1),
	})
	if err != nil {
		t.Fatal(err)
	}

	got, err := p.CreateCheckout(context.Background(), oneOffRequest())
	if err != nil {
		t.Fatalf("CreateCheckout: %v", err)
	}
	want := &payments.CheckoutSession{
		ID:        "cs_test_retry",
		URL:       "https://checkout.stripe.com/c/pay/cs_test_retry",
		ExpiresAt: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"checkout:don_42", "checkout:don_42"}, keys); diff != "" {
		t.Errorf("Idempotency-Key of each attempt (-want +got):\n%s", diff)
	}
}
