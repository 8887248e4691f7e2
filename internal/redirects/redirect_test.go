package redirects

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
)

func TestKeyOf(t *testing.T) {
	tests := []struct {
		name, addr, want string
		ok               bool
	}{
		{"OK", "/2016/05/Mon-Article/", "/2016/05/mon-article", true},
		{"OKNoSlash", "/a-propos", "/a-propos", true},
		{"OKRoot", "/", "/", true},
		{"OKEncoded", "/%C3%89t%C3%A9/", "/été", true},
		{"OKQueryP", "/?p=123", "/?p=123", true},
		{"OKQueryIndex", "/index.php?page_id=2", "/?page_id=2", true},
		{"OKQueryTag", "/?tag=Politique", "/?tag=politique", true},
		{"ErrRelative", "2016/05/x/", "", false},
		{"ErrTwoSlashes", "//evil.example/", "", false},
		{"ErrOtherQuery", "/?s=motcle", "", false},
		{"ErrQueryOnPath", "/blog/?p=12", "", false},
		{"ErrTwoParams", "/?p=12&cat=3", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := KeyOf(tt.addr)
			if got != tt.want || ok != tt.ok {
				t.Errorf("KeyOf(%q) = %q, %v; want %q, %v", tt.addr, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRequestKeys(t *testing.T) {
	got := requestKeys("/", url.Values{"p": {"12"}, "utm_source": {"x"}})
	if want := []string{"/?p=12", "/"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	got = requestKeys("/Old-Page/", url.Values{"p": {"12"}})
	if want := []string{"/old-page"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		field string
		key   string
	}{
		{"OK", Input{From: "/2016/05/x/", To: "/2016/05/12/x/"}, "", ""},
		{"OKAbsolute", Input{From: "/?p=12", To: "https://ailleurs.example/x", Code: 302}, "", ""},
		{"ErrFromRequired", Input{To: "/x/"}, "from", "error.redirect.from_required"},
		{"ErrFromRelative", Input{From: "x/", To: "/x/"}, "from", "error.redirect.from_invalid"},
		{"ErrFromSpace", Input{From: "/a b/", To: "/x/"}, "from", "error.redirect.from_invalid"},
		{"ErrFromQuery", Input{From: "/?s=x", To: "/x/"}, "from", "error.redirect.from_query"},
		{"ErrFromAdmin", Input{From: "/admin/users/", To: "/x/"}, "from", "error.redirect.from_reserved"},
		{"ErrFromAdminCase", Input{From: "/Admin", To: "/x/"}, "from", "error.redirect.from_reserved"},
		{"ErrFromHome", Input{From: "/index.php", To: "/x/"}, "from", "error.redirect.from_home"},
		{"ErrToRequired", Input{From: "/x/"}, "to", "error.redirect.to_required"},
		{"ErrToScheme", Input{From: "/x/", To: "javascript:alert(1)"}, "to", "error.redirect.to_invalid"},
		{"ErrToProtocolRelative", Input{From: "/x/", To: "//evil.example/"}, "to", "error.redirect.to_invalid"},
		{"ErrLoop", Input{From: "/x/", To: "/X"}, "to", "error.redirect.loop"},
		{"ErrCode", Input{From: "/x/", To: "/y/", Code: 307}, "code", "error.redirect.code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := validate(tt.in)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if r.Code == 0 || r.Key == "" {
					t.Errorf("not normalised: %+v", r)
				}
				return
			}
			errs := apperr.Split(err)
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want one", err)
			}
			var ae *apperr.Error
			if !errors.As(errs[0], &ae) || ae.Field != tt.field || ae.Key != tt.key || ae.Kind != apperr.Invalid {
				t.Errorf("err = %v, want %s in field %s", errs[0], tt.key, tt.field)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	table := map[string]*Redirect{
		"/a": {ID: 1, Key: "/a", From: "/a/", To: "/b/"},
		"/c": {ID: 2, Key: "/c", From: "/c/", To: "/final/"},
	}
	// A new /b/ → /c/ becomes /b/ → /final/, and /a/ now points at /final/.
	r := &Redirect{Key: "/b", From: "/b/", To: "/c/"}
	repoint, err := resolve(table, r)
	if err != nil || r.To != "/final/" || !slices.Equal(repoint, []int64{1}) {
		t.Fatalf("resolve = %v, %q, %v", repoint, r.To, err)
	}
	// /final/ → /a/ would go /final/ → /b/... → /final/: a loop.
	table["/b"] = &Redirect{ID: 3, Key: "/b", From: "/b/", To: "/final/"}
	table["/a"].To = "/final/"
	r = &Redirect{Key: "/final", From: "/final/", To: "/a/"}
	if _, err := resolve(table, r); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("loop: err = %v", err)
	}
}
