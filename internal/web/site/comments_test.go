package site_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
)

// commentSite boots the demo on a clock the test moves, so that posts
// come long enough after the form was shown.
func commentSite(t *testing.T) (*apptest.Site, *clock.Fixed) {
	clk := clock.NewFixed(time.Now())
	return apptest.New(t, apptest.Options{Clock: clk}), clk
}

// post sends the comment form of path with fields; cookie may be empty.
func post(t testing.TB, s *apptest.Site, path string, fields url.Values, cookie string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(fields.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// form reads the comment form of a page as a reader's browser would send
// it, with the text and identity filled in.
func form(t testing.TB, body, text string) url.Values {
	t.Helper()
	v := url.Values{}
	doc(t, body).Find("form.comment-form input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	if v.Get("stamp") == "" {
		t.Fatal("the comment form has no stamp")
	}
	v.Set("comment", text)
	v.Set("author", "Camille Lectrice")
	v.Set("email", "camille@example.org")
	v.Set("consent", "1")
	return v
}

func TestArticleDiscussion(t *testing.T) {
	s, _ := commentSite(t)
	d := doc(t, s.MustGet(t, palmyra, http.StatusOK))
	sec := d.Find("section.comments")
	if got := strings.TrimSpace(sec.Find("h2").Text()); got != "3 commentaires" {
		t.Errorf("heading = %q", got)
	}
	var numbers []string
	sec.Find(".comment-number").Each(func(_ int, s *goquery.Selection) { numbers = append(numbers, s.Text()) })
	if strings.Join(numbers, " ") != "#1 #2 #3" {
		t.Errorf("numbers = %v", numbers)
	}
	reply := sec.Find("ol.comment-list > li > ol.children > li.staff")
	if reply.Length() != 1 || !strings.Contains(reply.Find(".badge").Text(), "Rédaction") {
		t.Errorf("the newsroom's reply is not nested under the comment it answers")
	}
	if rel := sec.Find(".fn a").AttrOr("rel", ""); !strings.Contains(rel, "nofollow") || !strings.Contains(rel, "ugc") {
		t.Errorf("author link rel = %q", rel)
	}
	if src := sec.Find("img.avatar").AttrOr("src", ""); !strings.HasPrefix(src, "/avatars/") || !strings.HasSuffix(src, ".svg") {
		t.Errorf("avatar = %q", src)
	} else {
		resp, svg := s.Get(t, src)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(svg, "<svg") {
			t.Errorf("avatar: %d %s %.40q", resp.StatusCode, resp.Header.Get("Content-Type"), svg)
		}
	}
	if html, _ := sec.Html(); strings.Contains(html, "@") {
		t.Error("an email address shows on the page")
	}
	if sec.Find(".awaiting").Length() != 0 {
		t.Error("a comment awaiting moderation shows to everyone")
	}
	if got := sec.Find("time").First().Text(); got != "11 décembre 2016 à 21:17" {
		t.Errorf("date = %q", got)
	}
	for _, name := range []string{"comment", "author", "email", "url", "consent", "notify", "kq_hp", "stamp"} {
		if sec.Find(`form.comment-form [name="`+name+`"]`).Length() != 1 {
			t.Errorf("the form lacks %s", name)
		}
	}

	t.Run("OKFreshStamp", func(t *testing.T) {
		url := sec.Find("form.comment-form").AttrOr("data-stamp-url", "")
		if !strings.HasPrefix(url, "/comments/stamp?article=") || sec.Find(`script[src*="comments"]`).Length() != 1 {
			t.Fatalf("the form does not renew its stamp: %q", url)
		}
		resp, stamp := s.Get(t, url)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" || len(stamp) < 20 {
			t.Errorf("stamp: %d %q %q", resp.StatusCode, resp.Header.Get("Cache-Control"), stamp)
		}
		if resp, _ := s.Get(t, "/comments/stamp?article=x"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad article: %d", resp.StatusCode)
		}
	})
	t.Run("OKDemo", func(t *testing.T) {
		if s.Demo.Comments != 9 || s.Demo.Reports != 1 {
			t.Errorf("the demo has %d comments and %d reports, want 9 and 1", s.Demo.Comments, s.Demo.Reports)
		}
		q, err := s.App.Comments.Reports(context.Background(), access.System, comments.ReportQuery{Status: comments.ReportOpen})
		if err != nil || q.Total != 1 {
			t.Errorf("open reports: %+v, %v", q, err)
		}
	})
	t.Run("OKReplyWithoutJavaScript", func(t *testing.T) {
		href := sec.Find(".reply-link").First().AttrOr("href", "")
		d := doc(t, s.MustGet(t, palmyra+strings.TrimSuffix(href, "#respond"), http.StatusOK))
		if got := d.Find("#reply-title").Text(); !strings.Contains(got, "Répondre à Daniel Daflon") {
			t.Errorf("reply title = %q", got)
		}
		if got := d.Find(`input[name="comment_parent"]`).AttrOr("value", ""); got != "1" {
			t.Errorf("parent = %q", got)
		}
	})
	t.Run("OKReplyToUnknownIgnored", func(t *testing.T) {
		d := doc(t, s.MustGet(t, palmyra+"?replytocom=99999", http.StatusOK))
		if d.Find(`input[name="comment_parent"]`).Length() != 0 {
			t.Error("a reply form for a comment that is not here")
		}
	})
}

func TestPostComment(t *testing.T) {
	s, clk := commentSite(t)
	ctx := context.Background()
	page := s.MustGet(t, palmyra, http.StatusOK)
	clk.Advance(30 * time.Second)

	t.Run("OKHeldAndSeenByItsAuthor", func(t *testing.T) {
		resp, _ := post(t, s, palmyra, form(t, page, "Un témoignage de lecteur, posté depuis le formulaire."), "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, palmyra+"?moderation=") || !strings.Contains(loc, "#comment-") {
			t.Fatalf("redirect to %q", loc)
		}
		var cookie string
		for _, c := range resp.Cookies() {
			if c.Name == "kiosque_comments" && c.HttpOnly {
				cookie = c.Name + "=" + c.Value
			}
		}
		if cookie == "" {
			t.Fatal("no cookie to see the comment while it waits")
		}
		target := strings.TrimPrefix(loc[:strings.IndexByte(loc, '#')], s.URL)
		get := func(path, cookie string) (*http.Response, *goquery.Document) {
			req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
			if cookie != "" {
				req.Header.Set("Cookie", cookie)
			}
			r, err := s.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = r.Body.Close() }()
			d, err := goquery.NewDocumentFromReader(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			return r, d
		}
		r, d := get(target, cookie)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control = %q: a page only its reader may see must not be kept", cc)
		}
		own := d.Find("li.comment.awaiting")
		if own.Length() != 1 || !strings.Contains(own.Text(), "en attente de modération") || own.Find(".comment-number").Length() != 0 {
			t.Fatalf("the author does not see their comment awaiting moderation")
		}
		if _, d := get(target, ""); d.Find("li.comment.awaiting").Length() != 0 {
			t.Error("another reader sees a comment awaiting moderation")
		}
		if _, d := get(palmyra, cookie); strings.TrimSpace(d.Find("#comments-heading").Text()) != "3 commentaires" {
			t.Error("the count includes a comment awaiting moderation")
		}

		id, _ := strconv.ParseInt(strings.TrimPrefix(own.AttrOr("id", ""), "comment-"), 10, 64)
		admin := access.Actor{UserID: 1, Role: access.System.Role, IP: "127.0.0.1"}
		if err := s.App.Comments.Moderate(ctx, admin, []int64{id}, comments.StatusApproved); err != nil {
			t.Fatal(err)
		}
		_, d = get(palmyra, "")
		if got := strings.TrimSpace(d.Find("#comments-heading").Text()); got != "4 commentaires" {
			t.Errorf("after approval: %q (the cached page was not purged)", got)
		}
		if got := d.Find("#comment-" + strconv.FormatInt(id, 10) + " .comment-number").Text(); got != "#4" {
			t.Errorf("approved comment number = %q", got)
		}
	})

	cases := []struct {
		name   string
		edit   func(v url.Values)
		status int
		// field is the field whose error shows; message a text of the page.
		field, message string
	}{
		{"ErrMissingFields", func(v url.Values) { v.Set("author", ""); v.Set("email", "pas-une-adresse"); v.Del("consent") },
			http.StatusUnprocessableEntity, "email", "Indiquez une adresse électronique valable"},
		{"ErrTooShort", func(v url.Values) { v.Set("comment", "x") }, http.StatusUnprocessableEntity, "comment", "au moins 2 caractères"},
		{"ErrTooLong", func(v url.Values) { v.Set("comment", strings.Repeat("trop long ", 600)) },
			http.StatusUnprocessableEntity, "comment", "dépasse 5000 caractères"},
		{"ErrInvalidUTF8", func(v url.Values) { v.Set("comment", "bonjour \xff\xfe à tous") }, http.StatusUnprocessableEntity, "comment", ""},
		{"ErrBadParent", func(v url.Values) { v.Set("comment_parent", "999999") }, http.StatusUnprocessableEntity, "", "n’est pas visible sous cet article"},
		{"ErrParentNotANumber", func(v url.Values) { v.Set("comment_parent", "1 OR 1=1") }, http.StatusUnprocessableEntity, "", "n’est pas visible"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := form(t, page, "Un texte qu’il ne faut pas perdre.")
			c.edit(v)
			resp, body := post(t, s, palmyra, v, "")
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			d := doc(t, body)
			if got := d.Find("textarea#comment").Text(); got != strings.TrimSpace(strings.ReplaceAll(v.Get("comment"), "\xff\xfe", "\ufffd\ufffd")) && got != v.Get("comment") {
				t.Errorf("the typed text was not kept: %.60q", got)
			}
			if c.field != "" && d.Find("#"+c.field+"-error").Length() != 1 {
				t.Errorf("no error next to %s", c.field)
			}
			if c.message != "" && !strings.Contains(d.Find("section.comments").Text(), c.message) {
				t.Errorf("the page does not say %q", c.message)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q", cc)
			}
		})
	}

	t.Run("OKHostileTextShownAsText", func(t *testing.T) {
		v := form(t, page, "<script>alert(1)</script> **gras** [clic](javascript:alert(1)) <img src=x onerror=alert(2)>")
		v.Set("author", `"><img src=x onerror=alert(3)>`)
		v.Set("email", "hostile@example.org")
		resp, _ := post(t, s, palmyra, v, "", "X-Forwarded-For", "198.51.100.200")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		loc := resp.Header.Get("Location")
		var cookie string
		for _, c := range resp.Cookies() {
			cookie = c.Name + "=" + c.Value
		}
		req, _ := http.NewRequest(http.MethodGet, s.URL+loc[:strings.IndexByte(loc, '#')], nil)
		req.Header.Set("Cookie", cookie)
		r, err := s.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = r.Body.Close() }()
		d, err := goquery.NewDocumentFromReader(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		own := d.Find("li.comment.awaiting")
		if own.Length() != 1 {
			t.Fatal("the author does not see their comment")
		}
		if n := own.Find("script, img:not(.avatar), [onerror], a[href^=javascript]").Length(); n != 0 {
			h, _ := own.Html()
			t.Errorf("%d hostile elements made it into the page:\n%s", n, h)
		}
		if got := own.Find(".fn").Text(); got != `"><img src=x onerror=alert(3)>` {
			t.Errorf("name shown as %q", got)
		}
		if !strings.Contains(own.Find(".comment-content").Text(), "<script>alert(1)</script>") || own.Find(".comment-content strong").Text() != "gras" {
			t.Errorf("text shown as %q", own.Find(".comment-content").Text())
		}
	})
	t.Run("ErrUnknownArticle", func(t *testing.T) {
		resp, _ := post(t, s, "/2016/12/11/nexiste-pas/", form(t, page, "Bonjour à tous"), "")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("ErrOtherSite", func(t *testing.T) {
		resp, _ := post(t, s, palmyra, form(t, page, "Bonjour à tous"), "", "Sec-Fetch-Site", "cross-site")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("ErrTooBig", func(t *testing.T) {
		v := form(t, page, strings.Repeat("x", 300<<10))
		resp, _ := post(t, s, palmyra, v, "")
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("OKForgedStampGoesToSpam", func(t *testing.T) {
		v := form(t, page, "Achetez des montres pas chères ici.")
		v.Set("stamp", "forged")
		resp, _ := post(t, s, palmyra, v, "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		q, err := s.App.Comments.Queue(ctx, access.System, comments.Query{Status: comments.StatusSpam, Text: "montres pas chères"})
		if err != nil || q.Total != 1 {
			t.Fatalf("forged post not in the spam folder: %v %+v", err, q)
		}
	})
	t.Run("ErrFlood", func(t *testing.T) {
		var last *http.Response
		var body string
		for i := range 40 {
			last, body = post(t, s, palmyra, form(t, page, "Message numéro "+strconv.Itoa(i)+" d’une longue série."), "")
			if last.StatusCode == http.StatusTooManyRequests {
				break
			}
		}
		if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
			t.Fatalf("40 posts from one address: last status %d", last.StatusCode)
		}
		d := doc(t, body)
		if !strings.Contains(d.Find("textarea#comment").Text(), "d’une longue série") || !strings.Contains(d.Find(".form-errors").Text(), "beaucoup de commentaires") {
			t.Error("the refusal loses the text or does not say why")
		}
	})
}

func TestClosedDiscussion(t *testing.T) {
	s, clk := commentSite(t)
	ctx := context.Background()
	page := s.MustGet(t, palmyra, http.StatusOK)
	st := *s.App.Settings.Get()
	st.CommentPolicy.CloseAfterDays = 30
	if err := s.App.Settings.Save(ctx, access.System, st); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	d := doc(t, s.MustGet(t, palmyra, http.StatusOK))
	if d.Find("form.comment-form").Length() != 0 || !strings.Contains(d.Find(".comments-closed").Text(), "fermés") {
		t.Error("a closed discussion still shows its form")
	}
	if d.Find(".reply-link").Length() != 0 {
		t.Error("reply links under a closed discussion")
	}
	resp, body := post(t, s, palmyra, form(t, page, "Encore un mot après la clôture."), "")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Les commentaires sont fermés pour cet article.") {
		t.Errorf("post to a closed discussion: %d", resp.StatusCode)
	}
}
