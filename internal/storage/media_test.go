package storage_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/media/blob"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// testPNG returns a w×h PNG with some colour, so that encoders have work.
func testPNG(t *testing.T, w, h int, shade uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), shade, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestMediaLibrary(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		dir, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		lib := media.NewLibrary(storage.NewMediaStore(e.db), dir, media.NewProcessor(media.Limits{}, []int{100, 300}), e.clock, 2)
		e.content.UseImages(lib)
		author, err := e.users.Create(ctx, users.NewUser{Email: "lea@example.org", Name: "Léa", Role: users.RoleAuthor, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		actor := access.Actor{UserID: author.ID, Name: author.Name, Role: author.Role, IP: "192.0.2.1"}

		it, err := lib.Upload(ctx, actor, `C:\Photos\Le Quai d'Orsay.PNG`, bytes.NewReader(testPNG(t, 400, 200, 10)), " Le quai ", "")
		if err != nil {
			t.Fatalf("upload: %v", err)
		}
		if it.ID == 0 || it.Width != 400 || it.Height != 200 || it.Alt != "Le quai" || it.Filename != "Le Quai d'Orsay.PNG" {
			t.Errorf("item = %+v", it)
		}
		if !strings.HasSuffix(it.Path, "-le-quai-d-orsay.png") || len(it.Variants) != 2 || it.Variants[0].Width != 100 || it.Variants[1].Height != 150 {
			t.Errorf("path %q variants %+v", it.Path, it.Variants)
		}
		for _, name := range append([]string{it.Path}, it.Variants[0].Path, it.Variants[1].Path) {
			f, err := dir.Open(name)
			if err != nil {
				t.Fatalf("stored file %s: %v", name, err)
			}
			_ = f.Close()
		}

		// The same bytes again give the same item, its empty caption filled.
		again, err := lib.Upload(ctx, actor, "copie.png", bytes.NewReader(testPNG(t, 400, 200, 10)), "", "Légende")
		if err != nil || again.ID != it.ID || again.Caption != "Légende" || again.Alt != "Le quai" {
			t.Fatalf("second upload = %+v, %v", again, err)
		}

		// Refusals: not an image; a contributor may not upload.
		if _, err := lib.Upload(ctx, actor, "x.png", strings.NewReader("<svg onload=alert(1)>"), "x", ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("svg upload: err = %v", err)
		}
		contributor := access.Actor{UserID: 999, Role: users.RoleContributor}
		if _, err := lib.Upload(ctx, contributor, "x.png", bytes.NewReader(testPNG(t, 10, 10, 1)), "x", ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("contributor upload: err = %v", err)
		}

		// Found by its path and by a variant's path; listed and searched.
		for _, p := range []string{it.Path, it.Variants[0].Path} {
			info, ok := lib.ImageInfo(ctx, media.URLPrefix+p)
			if !ok || info.Srcset != it.Srcset() {
				t.Errorf("ImageInfo(%s) = %+v, %v", p, info, ok)
			}
		}
		if _, ok := lib.ImageInfo(ctx, "/media/2026/01/nothing.png"); ok {
			t.Error("unknown image resolved")
		}
		if _, err := lib.Upload(ctx, actor, "autre.png", bytes.NewReader(testPNG(t, 50, 50, 99)), "", ""); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			q    media.Query
			want int
		}{
			{media.Query{}, 2},
			{media.Query{Search: "QUAI"}, 1},
			{media.Query{Search: "100%"}, 0},
			{media.Query{MissingAlt: true}, 1},
		} {
			items, total, err := lib.List(ctx, tt.q)
			if err != nil || total != tt.want || len(items) != tt.want {
				t.Errorf("List(%+v) = %d items, total %d, %v; want %d", tt.q, len(items), total, err, tt.want)
			}
		}

		// An article showing it gets the srcset, and is listed as a user.
		a, err := e.content.Save(ctx, actor, 0, content.ArticleInput{Title: "Sur le quai", Body: "Texte.\n\n" + it.Markdown(), AuthorIDs: []int64{author.ID}}, content.IntentSave)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.BodyHTML, `srcset="`+it.Srcset()+`"`) || !strings.Contains(a.BodyHTML, `width="400" height="200"`) {
			t.Errorf("body html lacks the srcset: %s", a.BodyHTML)
		}
		usage, err := lib.Usage(ctx, it)
		if err != nil || len(usage) != 1 || usage[0].ArticleID != a.ID {
			t.Errorf("usage = %+v, %v", usage, err)
		}

		// Describing and deleting: another author may not delete it.
		if err := lib.Describe(ctx, actor, it.ID, strings.Repeat("x", media.MaxAltLen+1), ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("alt too long: err = %v", err)
		}
		other := access.Actor{UserID: author.ID + 1000, Role: users.RoleAuthor}
		if err := lib.Delete(ctx, other, it.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("delete by another author: err = %v", err)
		}
		if err := lib.Delete(ctx, actor, it.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Get(ctx, it.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("deleted item: err = %v", err)
		}
		if _, err := os.Stat(dir.Root() + "/" + it.Path); !os.IsNotExist(err) {
			t.Errorf("deleted file still there: %v", err)
		}
	})
}
