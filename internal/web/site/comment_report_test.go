package site_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/mail/mailtest"
)

// goodFaith is the statement of DSA art. 16(2)(d), as the form words it.
const goodFaith = "Je déclare de bonne foi que les informations et allégations contenues dans ce signalement sont exactes et complètes."

// reportFields fills the report form of a page as a notifier would.
func reportFields(t *testing.T, body string) url.Values {
	t.Helper()
	d := doc(t, body)
	v := url.Values{}
	v.Set("url", d.Find(`form.report-form input[name="url"]`).AttrOr("value", ""))
	v.Set("reason", string(comments.ReasonDefamation))
	v.Set("explanation", "Ce commentaire accuse nommément une personne d’un délit, sans la moindre preuve.")
	v.Set("name", "Inès Lambert")
	v.Set("email", "ines@example.org")
	v.Set("good_faith", "1")
	return v
}

// openReports returns the reports waiting for a decision.
// demoNotifier is who files the demo's own report, left out of the counts.
const demoNotifier = "jeanne.martin@exemple.fr"

func openReports(t *testing.T, s *apptest.Site) []*comments.Report {
	t.Helper()
	list, _, err := s.App.Comments.Store.ListReports(context.Background(), comments.ReportQuery{Status: comments.ReportOpen})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(list, func(r *comments.Report) bool { return r.Email == demoNotifier })
}

func TestCommentReportForm(t *testing.T) {
	s, _ := commentSite(t)
	ctx := context.Background()
	sec := doc(t, s.MustGet(t, palmyra, http.StatusOK)).Find("section.comments")
	links := sec.Find("a.report-link")
	if links.Length() != sec.Find(".comment-number").Length() || links.Length() == 0 {
		t.Fatalf("%d report links for %d published comments", links.Length(), sec.Find(".comment-number").Length())
	}
	link := sec.Find("#comment-1 > article a.report-link")
	if href, rel := link.AttrOr("href", ""), link.AttrOr("rel", ""); href != "/comments/1/report" || rel != "nofollow" {
		t.Errorf("report link href=%q rel=%q", href, rel)
	}
	const form = "/comments/1/report"

	resp, body := s.Get(t, form)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("form: status %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	d := doc(t, body)
	f := d.Find("form.report-form")
	if f.AttrOr("method", "") != "post" || f.AttrOr("action", "") != form {
		t.Errorf("form method %q action %q", f.AttrOr("method", ""), f.AttrOr("action", ""))
	}
	if got := f.Find(`input[type="radio"][name="reason"]`).Length(); got != len(comments.ReportReasons()) {
		t.Errorf("%d reasons offered, want %d", got, len(comments.ReportReasons()))
	}
	for _, r := range comments.ReportReasons() {
		if f.Find(`#reason-`+string(r)+`-help`).Text() == "" {
			t.Errorf("reason %s has no explanation", r)
		}
	}
	if got := f.Find(`input[name="url"]`).AttrOr("value", ""); !strings.HasSuffix(got, palmyra+"#comment-1") || !strings.HasPrefix(got, "http") {
		t.Errorf("url prefilled with %q", got)
	}
	if got := strings.TrimSpace(f.Find(`label[for="good_faith"]`).Text()); got != goodFaith {
		t.Errorf("good faith statement %q", got)
	}
	for _, name := range []string{"explanation", "name", "email", "good_faith"} {
		if f.Find(`[name="`+name+`"]`).Length() != 1 {
			t.Errorf("the form lacks %s", name)
		}
	}
	if !strings.Contains(d.Find("blockquote").Text(), "Quelle tristesse") || d.Find("script").Length() != 0 {
		t.Error("the comment reported is not shown, or the page needs a script")
	}
	if d.Find(`meta[name="robots"]`).AttrOr("content", "") != "noindex, follow" {
		t.Error("the form may be indexed")
	}

	t.Run("ErrUnprocessableKeepsText", func(t *testing.T) {
		v := reportFields(t, body)
		v.Del("good_faith")
		v.Set("name", "")
		v.Set("explanation", "Trop court.")
		resp, page := post(t, s, form, v, "")
		if resp.StatusCode != http.StatusUnprocessableEntity || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		d := doc(t, page)
		if got := d.Find("textarea#explanation").Text(); got != "Trop court." {
			t.Errorf("explanation kept as %q", got)
		}
		if got := d.Find(`input[name="email"]`).AttrOr("value", ""); got != "ines@example.org" {
			t.Errorf("email kept as %q", got)
		}
		if _, ok := d.Find(`#reason-defamation`).Attr("checked"); !ok {
			t.Error("the reason chosen is no longer checked")
		}
		for _, id := range []string{"explanation-error", "name-error", "good_faith-error"} {
			if d.Find("#"+id).Length() != 1 {
				t.Errorf("no message %s", id)
			}
		}
		if d.Find("#email-error").Length() != 0 || d.Find(".form-errors").Length() != 1 {
			t.Error("wrong messages")
		}
		if len(openReports(t, s)) != 0 {
			t.Error("a refused report was stored")
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		queue, err := s.App.Comments.Queue(ctx, access.System, comments.Query{Status: comments.StatusPending})
		if err != nil || len(queue.Comments) == 0 {
			t.Fatalf("pending comments: %v", err)
		}
		pending := "/comments/" + strconv.FormatInt(queue.Comments[0].ID, 10) + "/report"
		for _, path := range []string{"/comments/999999/report", "/comments/x/report", "/comments/0/report", pending} {
			if resp, _ := s.Get(t, path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d", path, resp.StatusCode)
			}
			if resp, _ := post(t, s, path, reportFields(t, body), ""); resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s: status %d", path, resp.StatusCode)
			}
		}
	})

	t.Run("ErrCrossSite", func(t *testing.T) {
		resp, page := post(t, s, form, reportFields(t, body), "", "Sec-Fetch-Site", "cross-site")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d\n%.300s", resp.StatusCode, page)
		}
		if len(openReports(t, s)) != 0 {
			t.Error("a cross-site report was stored")
		}
	})

	t.Run("OK", func(t *testing.T) {
		resp, _ := post(t, s, form, reportFields(t, body), "", "Sec-Fetch-Site", "same-origin")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != form+"?sent=1" {
			t.Fatalf("status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, page := s.Get(t, resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" ||
			!strings.Contains(doc(t, page).Find("h1").Text(), "Signalement envoyé") {
			t.Errorf("confirmation: status %d, Cache-Control %q\n%.300s", resp.StatusCode, resp.Header.Get("Cache-Control"), page)
		}
		list := openReports(t, s)
		if len(list) != 1 {
			t.Fatalf("%d reports stored", len(list))
		}
		r := list[0]
		if r.CommentID != 1 || r.Reason != comments.ReasonDefamation || r.Name != "Inès Lambert" || r.Email != "ines@example.org" ||
			!r.GoodFaith || r.IP != "127.0.0.1" || !strings.HasSuffix(r.URL, palmyra+"#comment-1") {
			t.Errorf("stored %+v", r)
		}
	})

	t.Run("OKChildAbuseAnonymous", func(t *testing.T) {
		v := reportFields(t, body)
		v.Set("reason", string(comments.ReasonChildAbuse))
		v.Del("name")
		v.Del("email")
		if resp, page := post(t, s, form, v, ""); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d\n%.500s", resp.StatusCode, page)
		}
	})

	t.Run("ErrTooMany", func(t *testing.T) {
		for range comments.ReportsPerAddress - len(openReports(t, s)) {
			if resp, _ := post(t, s, form, reportFields(t, body), ""); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d", resp.StatusCode)
			}
		}
		v := reportFields(t, body)
		v.Set("explanation", "Encore un signalement, de trop cette fois, sur ce commentaire.")
		resp, page := post(t, s, form, v, "")
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		d := doc(t, page)
		if d.Find("textarea#explanation").Text() != v.Get("explanation") || !strings.Contains(d.Find(".form-errors").Text(), "une heure") {
			t.Errorf("the refused report is not shown again:\n%.500s", page)
		}
	})
}

// TestCommentReportMails follows a report through a real SMTP server: the
// notifier's acknowledgement and the moderators' notice, then the
// decision to the notifier and the statement of reasons to the author.
func TestCommentReportMails(t *testing.T) {
	smtp := mailtest.New(t)
	clk := clock.NewFixed(time.Now())
	s := apptest.New(t, apptest.Options{Clock: clk, SMTPURL: smtp.URL, Serve: true})
	ctx := context.Background()
	form := "/comments/1/report"
	body := s.MustGet(t, form, http.StatusOK)
	if resp, page := post(t, s, form, reportFields(t, body), ""); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: status %d\n%.500s", resp.StatusCode, page)
	}
	subject := func(part string) func(mailtest.Message) bool {
		return func(m mailtest.Message) bool {
			return strings.Contains(m.Subject(), part) && !strings.Contains(strings.Join(m.To, ","), demoNotifier) &&
				!strings.Contains(m.Body, "marge d'erreur")
		}
	}
	ack := smtp.WaitFor(t, 20*time.Second, subject("Votre signalement a bien été reçu"))
	if strings.Join(ack.To, ",") != "ines@example.org" || !strings.Contains(ack.Body, "Diffamation ou injure") ||
		!strings.Contains(ack.Body, palmyra+"#comment-1") || !strings.Contains(ack.Body, "sans la moindre preuve") {
		t.Errorf("acknowledgement to %v:\n%s", ack.To, ack.Body)
	}
	held := smtp.WaitFor(t, 20*time.Second, subject("Commentaire signalé"))
	if !strings.Contains(strings.Join(held.To, ","), "admin@le-veilleur.example") || !strings.Contains(held.Body, "/admin/comments/reports") ||
		!strings.Contains(held.Body, "Quelle tristesse") {
		t.Errorf("moderators' notice to %v:\n%s", held.To, held.Body)
	}

	list := openReports(t, s)
	if len(list) != 1 {
		t.Fatalf("%d open reports", len(list))
	}
	admin := access.Actor{UserID: 1, Role: access.System.Role, IP: "127.0.0.1"}
	if _, err := s.App.Comments.Decide(ctx, admin, list[0].ID, true, "Accusation de vol sans preuve visant une personne nommée."); err != nil {
		t.Fatal(err)
	}
	decision := smtp.WaitFor(t, 20*time.Second, subject("Décision sur votre signalement"))
	if strings.Join(decision.To, ",") != "ines@example.org" || !strings.Contains(decision.Body, "la rédaction l’a retiré") ||
		!strings.Contains(decision.Body, "Accusation de vol sans preuve") {
		t.Errorf("decision to %v:\n%s", decision.To, decision.Body)
	}
	statement := smtp.WaitFor(t, 20*time.Second, subject("a été retiré"))
	if strings.Join(statement.To, ",") != "daniel.daflon@exemple.fr" {
		t.Errorf("statement of reasons to %v", statement.To)
	}
	for _, want := range []string{
		"Quelle tristesse",              // what was removed
		palmyra,                         // where
		"à la suite d’un signalement",   // on a notice
		"Diffamation ou injure",         // the category
		"Accusation de vol sans preuve", // the facts and grounds
		"sans moyen automatisé",         // by a person
		"répondez à ce courriel",        // how to contest it
		"juge compétent",                // and the courts
	} {
		if !strings.Contains(statement.Body, want) {
			t.Errorf("the statement of reasons lacks %q:\n%s", want, statement.Body)
		}
	}
	if strings.Contains(statement.Body, "ines@example.org") || strings.Contains(statement.Body, "Inès") {
		t.Error("the statement of reasons names the notifier")
	}
	if sec := doc(t, s.MustGet(t, palmyra, http.StatusOK)).Find("#comment-1"); sec.Length() != 0 {
		t.Error("the removed comment is still shown")
	}
}
