package admin_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web"
)

// pngOf returns a w×h PNG with a gradient.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x * 3), uint8(y * 5), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb returns a small PNG whose header claims 60000×60000 pixels:
// decoding it would need 14 GB.
func pngBomb(t *testing.T) []byte {
	t.Helper()
	b := pngOf(t, 1, 1)
	// IHDR data starts after the 8-byte signature and 8 bytes of length and type.
	binary.BigEndian.PutUint32(b[16:], 60000)
	binary.BigEndian.PutUint32(b[20:], 60000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// truncated returns the first half of b.
func truncated(b []byte) []byte { return b[:len(b)/2] }

// upload posts file as a multipart form to /admin/media.
func (b *browser) upload(name string, file []byte, alt string, header ...string) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("alt", alt); err != nil {
		b.t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.site.URL+"/admin/media", &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req, header...)
}

func TestMediaUpload(t *testing.T) {
	s := newSite(t, apptest.Options{})
	author := as(t, s, users.RoleAuthor)

	// From the picker: a redirect to the image's page.
	resp, body := author.upload("Quai de Saône.png", pngOf(t, 800, 400), "Le quai au petit matin")
	mustStatus(t, "upload", resp, body, http.StatusSeeOther)
	page, _, _ := strings.Cut(resp.Header.Get("Location"), "?")
	if !strings.HasPrefix(page, "/admin/media/") {
		t.Fatalf("redirect to %q", page)
	}
	resp, body = author.get(page)
	mustStatus(t, "media page", resp, body, http.StatusOK)
	if !strings.Contains(body, "Le quai au petit matin") || !strings.Contains(body, "srcset=") {
		t.Errorf("media page lacks the alt text or srcset:\n%.2000s", body)
	}

	// From a drop in the editor: JSON, then the file is served publicly.
	resp, body = author.upload("photo.png", pngOf(t, 700, 300), "Une autre vue", "Accept", "application/json")
	mustStatus(t, "json upload", resp, body, http.StatusCreated)
	var m struct {
		URL, Markdown string
		Width         int
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || m.Width != 700 || !strings.HasPrefix(m.URL, "/media/") {
		t.Fatalf("json = %s (%v)", body, err)
	}
	if m.Markdown != "![Une autre vue]("+m.URL+")" {
		t.Errorf("markdown = %q", m.Markdown)
	}
	resp, img := visitor(t, s).get(m.URL)
	mustStatus(t, "public file", resp, "", http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "image/jpeg" && ct != "image/png" {
		t.Errorf("content type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("cache-control %q", cc)
	}
	if _, _, err := image.Decode(strings.NewReader(img)); err != nil {
		t.Errorf("served file does not decode: %v", err)
	}

	// An article using it gets a responsive image.
	resp, body = author.post("/admin/articles/new", url.Values{"title": {"Vue du quai"}, "body": {"Texte.\n\n" + m.Markdown},
		"intent": {"publish"}, "comments_open": {"on"}})
	mustStatus(t, "publish", resp, body, http.StatusSeeOther)
	loc, _, _ := strings.Cut(resp.Header.Get("Location"), "?")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/admin/articles/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect %q", loc)
	}
	a := article(t, s, id)
	public := s.MustGet(t, web.ArticlePath(a, s.App.Settings.Get().Location()), http.StatusOK)
	if !strings.Contains(public, `sizes="(max-width: 44rem) 100vw, 42rem"`) || !strings.Contains(public, `width="700" height="300"`) {
		t.Errorf("article page lacks the responsive image:\n%s", a.BodyHTML)
	}

	for _, tt := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"Err/not an image", "evil.png", []byte("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"), "JPEG, PNG, GIF ou WebP"},
		{"Err/decompression bomb", "bomb.png", pngBomb(t), "trop grande"},
		{"Err/truncated", "cut.png", truncated(pngOf(t, 300, 300)), "endommagé"},
		{"Err/too large", "huge.png", bytes.Repeat([]byte{0x89}, 21<<20), "Mio"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := author.upload(tt.file, tt.data, "x")
			mustStatus(t, "upload", resp, body, http.StatusUnprocessableEntity)
			if !strings.Contains(body, tt.want) || !strings.Contains(body, `id="file-error"`) {
				t.Errorf("refusal lacks %q next to the field:\n%.3000s", tt.want, body)
			}
			resp, body = author.upload(tt.file, tt.data, "x", "Accept", "application/json")
			mustStatus(t, "json upload", resp, body, http.StatusUnprocessableEntity)
		})
	}
	_, list := author.get("/admin/media")
	if n := strings.Count(list, `class="caption"`); n != 2 {
		t.Errorf("library shows %d items, want 2", n)
	}
}

func TestMediaRoles(t *testing.T) {
	s := newSite(t, apptest.Options{})
	author := as(t, s, users.RoleAuthor)
	resp, body := author.upload("a.png", pngOf(t, 40, 40), "A")
	mustStatus(t, "upload", resp, body, http.StatusSeeOther)
	item, _, _ := strings.Cut(resp.Header.Get("Location"), "?")

	contributor := as(t, s, users.RoleContributor)
	for _, path := range []string{"/admin/media", item} {
		resp, body := contributor.get(path)
		mustStatus(t, "contributor GET "+path, resp, body, http.StatusForbidden)
	}
	resp, body = contributor.upload("b.png", pngOf(t, 40, 40), "B")
	mustStatus(t, "contributor upload", resp, body, http.StatusForbidden)

	// Another author may describe it but not delete it; an editor may.
	other := visitor(t, s)
	if _, err := s.App.Users.Create(t.Context(), users.NewUser{Email: "other@example.org", Name: "Other", Role: users.RoleAuthor, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	resp, body = other.post("/admin/login", url.Values{"email": {"other@example.org"}, "password": {testPassword}})
	mustStatus(t, "login", resp, body, http.StatusSeeOther)
	resp, body = other.post(item+"/delete", nil)
	mustStatus(t, "other author delete "+resp.Header.Get("Location"), resp, body, http.StatusForbidden)
	resp, body = other.post(item, url.Values{"alt": {strings.Repeat("x", 501)}})
	mustStatus(t, "alt too long", resp, body, http.StatusUnprocessableEntity)
	resp, body = other.post(item, url.Values{"alt": {"Mieux décrit"}})
	mustStatus(t, "describe", resp, body, http.StatusSeeOther)

	resp, body = author.get(item)
	mustStatus(t, "media item", resp, body, http.StatusOK)
	if !strings.Contains(body, "Mieux décrit") {
		t.Errorf("description not saved:\n%.1500s", body)
	}
	editor := as(t, s, users.RoleEditor)
	resp, body = editor.post(item+"/delete", nil)
	mustStatus(t, "editor delete", resp, body, http.StatusSeeOther)
	resp, body = author.get(item)
	mustStatus(t, "deleted item", resp, body, http.StatusNotFound)

	for _, p := range []string{"/media/../../etc/passwd", "/media/2026/", "/media/nothing.png"} {
		resp, _ := visitor(t, s).get(p)
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMovedPermanently {
			t.Errorf("GET %s: status %d", p, resp.StatusCode)
		}
	}
}
