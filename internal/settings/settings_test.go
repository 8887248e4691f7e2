package settings_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/testutil"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/users"
)

// memStore is a settings.Store in memory: the service's rules are tested
// here, the SQL in package storage against real databases.
type memStore struct {
	values  map[string]string
	entries []audit.Entry
}

func (m *memStore) Setting(_ context.Context, name string) (string, error) {
	v, ok := m.values[name]
	if !ok {
		return "", apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return v, nil
}

func (m *memStore) SaveSetting(_ context.Context, name, value string, _ time.Time, e *audit.Entry) error {
	m.values[name] = value
	if e != nil {
		m.entries = append(m.entries, *e)
	}
	return nil
}

var epoch = time.Date(2017, 3, 1, 9, 30, 0, 0, time.UTC)

var admin = access.Actor{UserID: 7, Name: "Inès Lambert", Role: users.RoleAdmin, IP: "203.0.113.5"}

func newService(t *testing.T) (*settings.Service, *memStore) {
	t.Helper()
	store := &memStore{values: map[string]string{}}
	s := settings.NewService(store, clock.NewFixed(epoch), textproc.NewRenderer())
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, store
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want func(st *settings.Site) string // "" when right
	}{
		{"OKOldJSON", `{"title":"Le Veilleur","language":"fr","timezone":"Europe/Paris","typography":"fr-FR",
			"posts_per_page":12,"appeal":"Merci","appeal_html":"<p>Merci</p>\n","updated_at":"2017-01-15T12:00:00Z"}`,
			func(st *settings.Site) string {
				if st.Title != "Le Veilleur" || st.PostsPerPage != 12 || st.AppealHTML != "<p>Merci</p>\n" {
					return "saved fields lost"
				}
				if st.FooterText != "" || st.FooterHTML != "" || st.SocialLinks != nil {
					return "new fields not empty"
				}
				return cmp.Diff(settings.Defaults().CommentPolicy, st.CommentPolicy)
			}},
		{"OKPartialCommentPolicy", `{"title":"x","comment_policy":{"charter":"Soyez courtois."}}`,
			func(st *settings.Site) string {
				want := settings.Defaults().CommentPolicy
				want.Charter = "Soyez courtois."
				return cmp.Diff(want, st.CommentPolicy)
			}},
		{"OKUnknownModeration", `{"title":"x","comment_policy":{"moderation":"sometimes","close_after_days":30}}`,
			func(st *settings.Site) string {
				want := settings.Defaults().CommentPolicy
				want.CloseAfterDays = 30
				return cmp.Diff(want, st.CommentPolicy)
			}},
		{"OKMissingNumbers", `{"title":"x"}`,
			func(st *settings.Site) string {
				if st.PostsPerPage != 10 || st.Timezone != "Europe/Paris" || st.Language != "fr" {
					return "defaults not kept"
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := settings.Decode([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.want(&st); msg != "" {
				t.Error(msg)
			}
		})
	}
	if _, err := settings.Decode([]byte(`{"title":`)); err == nil {
		t.Error("truncated JSON: no error")
	}
}

func TestReloadOldJSON(t *testing.T) {
	s, store := newService(t)
	store.values["site"] = `{"title":"Le Veilleur","timezone":"America/Martinique"}`
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := s.Get()
	if st.Title != "Le Veilleur" || st.CommentPolicy.Moderation != settings.ModerateFirstTime {
		t.Errorf("reloaded %q, moderation %q", st.Title, st.CommentPolicy.Moderation)
	}
	if got := st.Location().String(); got != "America/Martinique" {
		t.Errorf("Location = %s", got)
	}
}

func TestSaveValidation(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(st *settings.Site)
		field string // "" when valid
		key   string
	}{
		{"OK", func(*settings.Site) {}, "", ""},
		{"OKEnglish", func(st *settings.Site) { st.Language, st.Typography = "en-GB", "none" }, "", ""},
		{"OKSiteRelativeLogo", func(st *settings.Site) { st.LogoURL = "/media/2017/01/logo.png" }, "", ""},
		{"OKHTTPSLogo", func(st *settings.Site) { st.LogoURL = "https://cdn.example.org/logo.svg" }, "", ""},
		{"OKSocialLinks", func(st *settings.Site) {
			st.SocialLinks = []settings.SocialLink{{Network: "youtube", URL: "https://www.youtube.com/@veilleur"},
				{Network: "mastodon", URL: "https://mastodon.social/@veilleur"}}
		}, "", ""},
		{"OKCloseAfterMax", func(st *settings.Site) { st.CommentPolicy.CloseAfterDays = settings.MaxCloseAfterDays }, "", ""},
		{"OKHandle", func(st *settings.Site) { st.TwitterSite = "@le_veilleur" }, "", ""},
		{"ErrEmptyTitle", func(st *settings.Site) { st.Title = "  " }, "title", "error.settings.title_required"},
		{"ErrLongTitle", func(st *settings.Site) { st.Title = strings.Repeat("é", 201) }, "title", "error.settings.title_required"},
		{"ErrLongTagline", func(st *settings.Site) { st.Tagline = strings.Repeat("a", 201) }, "tagline", "error.settings.too_long"},
		{"ErrLanguage", func(st *settings.Site) { st.Language = "de" }, "language", "error.settings.bad_language"},
		{"ErrTimezone", func(st *settings.Site) { st.Timezone = "Mars/Olympus_Mons" }, "timezone", "error.settings.bad_timezone"},
		{"ErrTimezoneEmpty", func(st *settings.Site) { st.Timezone = "" }, "timezone", "error.settings.bad_timezone"},
		{"ErrTimezoneLocal", func(st *settings.Site) { st.Timezone = "Local" }, "timezone", "error.settings.bad_timezone"},
		{"ErrTypography", func(st *settings.Site) { st.Typography = "fr-BE" }, "typography", "error.settings.bad_typography"},
		{"ErrPostsPerPageZero", func(st *settings.Site) { st.PostsPerPage = 0 }, "posts_per_page", "error.settings.bad_posts_per_page"},
		{"ErrPostsPerPageHigh", func(st *settings.Site) { st.PostsPerPage = 51 }, "posts_per_page", "error.settings.bad_posts_per_page"},
		{"ErrHTTPLogo", func(st *settings.Site) { st.LogoURL = "http://example.org/logo.png" }, "logo_url", "error.settings.bad_logo_url"},
		{"ErrProtocolRelativeLogo", func(st *settings.Site) { st.LogoURL = "//evil.example/logo.png" }, "logo_url", "error.settings.bad_logo_url"},
		{"ErrJavascriptLogo", func(st *settings.Site) { st.LogoURL = "javascript:alert(1)" }, "logo_url", "error.settings.bad_logo_url"},
		{"ErrHandle", func(st *settings.Site) { st.TwitterSite = "@le veilleur" }, "twitter_site", "error.settings.bad_twitter_site"},
		{"ErrHTTPSocialURL", func(st *settings.Site) {
			st.SocialLinks = []settings.SocialLink{{Network: "bluesky", URL: "http://bsky.app/profile/veilleur"}}
		}, "social_links.bluesky", "error.settings.bad_social_url"},
		{"ErrRelativeSocialURL", func(st *settings.Site) {
			st.SocialLinks = []settings.SocialLink{{Network: "x", URL: "x.com/veilleur"}}
		}, "social_links.x", "error.settings.bad_social_url"},
		{"ErrSocialURLWithCredentials", func(st *settings.Site) {
			st.SocialLinks = []settings.SocialLink{{Network: "facebook", URL: "https://user:pw@facebook.com/veilleur"}}
		}, "social_links.facebook", "error.settings.bad_social_url"},
		{"ErrUnknownNetwork", func(st *settings.Site) {
			st.SocialLinks = []settings.SocialLink{{Network: "myspace", URL: "https://myspace.com/veilleur"}}
		}, "social_links", "error.settings.bad_network"},
		{"ErrDuplicateNetwork", func(st *settings.Site) {
			st.SocialLinks = []settings.SocialLink{{Network: "mastodon", URL: "https://mastodon.social/@a"},
				{Network: "Mastodon", URL: "https://piaille.fr/@b"}}
		}, "social_links.mastodon", "error.settings.duplicate_network"},
		{"ErrModeration", func(st *settings.Site) { st.CommentPolicy.Moderation = "sometimes" }, "comment_policy.moderation", "error.settings.bad_moderation"},
		{"ErrCloseAfterNegative", func(st *settings.Site) { st.CommentPolicy.CloseAfterDays = -1 }, "comment_policy.close_after_days", "error.settings.bad_close_after_days"},
		{"ErrCloseAfterTooLong", func(st *settings.Site) { st.CommentPolicy.CloseAfterDays = 3651 }, "comment_policy.close_after_days", "error.settings.bad_close_after_days"},
		{"ErrLongCharter", func(st *settings.Site) { st.CommentPolicy.Charter = strings.Repeat("a", 20001) }, "comment_policy.charter", "error.settings.too_long"},
		{"OKCommentRules", func(st *settings.Site) {
			cp := &st.CommentPolicy
			cp.MaxDepth, cp.MaxLinks, cp.MinLength, cp.MaxLength, cp.Notify = 1, 0, 1, 20000, settings.NotifyEach
			cp.HoldWords, cp.BannedWords = []string{"casino", " ", "Casino"}, []string{"viagra"}
			cp.BannedAddresses = []string{"spam@example.org", "203.0.113.7", "198.51.100.0/24", "2001:db8::/32", "2001:db8::1"}
		}, "", ""},
		{"ErrDepthZero", func(st *settings.Site) { st.CommentPolicy.MaxDepth = 0 }, "comment_policy.max_depth", "error.settings.bad_max_depth"},
		{"ErrDepthHigh", func(st *settings.Site) { st.CommentPolicy.MaxDepth = 11 }, "comment_policy.max_depth", "error.settings.bad_max_depth"},
		{"ErrLinksNegative", func(st *settings.Site) { st.CommentPolicy.MaxLinks = -1 }, "comment_policy.max_links", "error.settings.bad_max_links"},
		{"ErrMinAboveMax", func(st *settings.Site) { st.CommentPolicy.MinLength = 6000 }, "comment_policy.min_length", "error.settings.bad_min_length"},
		{"ErrMaxLengthHigh", func(st *settings.Site) { st.CommentPolicy.MaxLength = 20001 }, "comment_policy.max_length", "error.settings.bad_max_length"},
		{"ErrLongWord", func(st *settings.Site) { st.CommentPolicy.BannedWords = []string{strings.Repeat("x", 201)} }, "comment_policy.banned_words", "error.settings.bad_word_list"},
		{"ErrBadAddress", func(st *settings.Site) { st.CommentPolicy.BannedAddresses = []string{"203.0.113.7", "not an address"} }, "comment_policy.banned_addresses", "error.settings.bad_banned_address"},
		{"ErrNamedAddress", func(st *settings.Site) { st.CommentPolicy.BannedAddresses = []string{"Spam <spam@example.org>"} }, "comment_policy.banned_addresses", "error.settings.bad_banned_address"},
		{"ErrBadCIDR", func(st *settings.Site) { st.CommentPolicy.BannedAddresses = []string{"198.51.100.0/33"} }, "comment_policy.banned_addresses", "error.settings.bad_banned_address"},
		{"ErrNotify", func(st *settings.Site) { st.CommentPolicy.Notify = "hourly" }, "comment_policy.notify", "error.settings.bad_notify"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store := newService(t)
			st := settings.Defaults()
			st.Title = "Le Veilleur"
			tt.edit(&st)
			err := s.Save(context.Background(), admin, st)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("err = %v, want Invalid", err)
			}
			if got, want := testutil.Fields(err), []string{tt.field}; !slices.Equal(got, want) {
				t.Errorf("fields = %q, want %q", got, want)
			}
			if key, _ := apperr.Message(err); key != tt.key {
				t.Errorf("message = %q, want %q", key, tt.key)
			}
			if len(store.values) != 0 || s.Get().Title != settings.Defaults().Title {
				t.Error("refused settings were saved")
			}
		})
	}
}

func TestSaveReportsEveryField(t *testing.T) {
	s, _ := newService(t)
	st := settings.Defaults()
	st.Title, st.Timezone, st.PostsPerPage = "", "Nowhere/Town", 0
	st.SocialLinks = []settings.SocialLink{{Network: "instagram", URL: "ftp://instagram.com/x"}}
	err := s.Save(context.Background(), admin, st)
	want := []string{"title", "timezone", "posts_per_page", "social_links.instagram"}
	if got := testutil.Fields(err); !slices.Equal(got, want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
}

func TestSaveForbidden(t *testing.T) {
	for _, role := range []users.Role{users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		t.Run(string(role), func(t *testing.T) {
			s, store := newService(t)
			st := *s.Get()
			st.Title = "Pris"
			err := s.Save(context.Background(), access.Actor{UserID: 3, Name: "X", Role: role}, st)
			if !apperr.Is(err, apperr.Forbidden) {
				t.Fatalf("err = %v, want Forbidden", err)
			}
			if len(store.values) != 0 || len(store.entries) != 0 || s.Get().Title == "Pris" {
				t.Error("forbidden save changed something")
			}
		})
	}
}

func TestSaveRecordsChanges(t *testing.T) {
	s, store := newService(t)
	ctx := context.Background()
	st := *s.Get()
	st.Title = "  Le Veilleur "
	st.FooterText = "Édité par l'**Association Le Veilleur** : 12, rue de la Charité, Lyon."
	st.SocialLinks = []settings.SocialLink{
		{Network: "youtube", URL: "https://www.youtube.com/@veilleur"},
		{Network: "mastodon", URL: " https://mastodon.social/@veilleur "},
		{Network: "bluesky", URL: ""},
	}
	st.CommentPolicy.Charter = "Restez courtois !"
	if err := s.Save(ctx, admin, st); err != nil {
		t.Fatal(err)
	}
	got := s.Get()
	if got.Title != "Le Veilleur" {
		t.Errorf("title = %q, want it trimmed", got.Title)
	}
	if want := "<p>Édité par l’<strong>Association Le Veilleur</strong>\u00a0: 12, rue de la Charité, Lyon.</p>\n"; got.FooterHTML != want {
		t.Errorf("FooterHTML = %q, want %q", got.FooterHTML, want)
	}
	if want := "<p>Restez courtois\u202f!</p>\n"; got.CommentPolicy.CharterHTML != want {
		t.Errorf("CharterHTML = %q, want %q", got.CommentPolicy.CharterHTML, want)
	}
	wantLinks := []settings.SocialLink{{Network: "mastodon", URL: "https://mastodon.social/@veilleur"},
		{Network: "youtube", URL: "https://www.youtube.com/@veilleur"}}
	if diff := cmp.Diff(wantLinks, got.SocialLinks); diff != "" {
		t.Errorf("social links (-want +got):\n%s", diff)
	}
	if !got.UpdatedAt.Equal(epoch) {
		t.Errorf("UpdatedAt = %v", got.UpdatedAt)
	}
	want := []audit.Entry{{At: epoch, UserID: 7, UserName: "Inès Lambert", Action: audit.ActionSettings,
		TargetType: "settings", Summary: "title, footer_text, social_links, comment_policy.charter", IP: "203.0.113.5"}}
	if diff := cmp.Diff(want, store.entries); diff != "" {
		t.Errorf("audit entries (-want +got):\n%s", diff)
	}

	// The same settings again write nothing.
	if err := s.Save(ctx, admin, *s.Get()); err != nil {
		t.Fatal(err)
	}
	if len(store.entries) != 1 {
		t.Errorf("unchanged save recorded %d entries, want 1", len(store.entries))
	}

	// What was saved reads back the same.
	other := settings.NewService(store, clock.NewFixed(epoch), nil)
	if err := other.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, other.Get(), cmpopts.IgnoreUnexported(settings.Site{})); diff != "" {
		t.Errorf("reloaded settings differ (-saved +reloaded):\n%s", diff)
	}
	if changes := settings.Changes(got, other.Get()); len(changes) != 0 {
		t.Errorf("reloaded settings differ in %q", changes)
	}
}

func TestUpdateIsAuditedAsSystem(t *testing.T) {
	s, store := newService(t)
	st := *s.Get()
	st.Tagline = "Un regard indépendant"
	if err := s.Update(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if len(store.entries) != 1 || store.entries[0].UserName != access.System.Name || store.entries[0].UserID != 0 ||
		store.entries[0].Summary != "tagline" {
		t.Errorf("entries = %+v", store.entries)
	}
}

func TestChanges(t *testing.T) {
	a := settings.Defaults()
	tests := []struct {
		name string
		edit func(st *settings.Site)
		want []string
	}{
		{"OKNone", func(*settings.Site) {}, nil},
		{"OKRenderedOnly", func(st *settings.Site) { st.AppealHTML, st.UpdatedAt = "<p>x</p>", epoch }, nil},
		{"OKEmptyLinks", func(st *settings.Site) { st.SocialLinks = []settings.SocialLink{} }, nil},
		{"OKSeveral", func(st *settings.Site) {
			st.Timezone = "UTC"
			st.SocialLinks = []settings.SocialLink{{Network: "x", URL: "https://x.com/v"}}
			st.CommentPolicy.CloseAfterDays = 30
		}, []string{"timezone", "social_links", "comment_policy.close_after_days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := settings.Defaults()
			tt.edit(&b)
			if got := settings.Changes(&a, &b); !slices.Equal(got, tt.want) {
				t.Errorf("Changes = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFieldNames(t *testing.T) {
	names := settings.FieldNames()
	for _, want := range []string{"title", "footer_text", "social_links", "comment_policy.moderation",
		"comment_policy.close_after_days", "comment_policy.charter"} {
		if !slices.Contains(names, want) {
			t.Errorf("FieldNames lacks %q: %q", want, names)
		}
	}
	for _, n := range names {
		if strings.HasSuffix(n, "_html") || n == "updated_at" {
			t.Errorf("FieldNames lists %q", n)
		}
	}
}

func TestTimezones(t *testing.T) {
	zones := settings.Timezones()
	for _, want := range []string{"UTC", "Europe/Paris", "Europe/Brussels", "America/Toronto", "America/Martinique",
		"Africa/Dakar", "Indian/Reunion", "Pacific/Noumea"} {
		if !slices.Contains(zones, want) {
			t.Errorf("Timezones lacks %s", want)
		}
	}
	seen := map[string]bool{}
	for _, z := range zones {
		if seen[z] {
			t.Errorf("%s listed twice", z)
		}
		seen[z] = true
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("%s does not load: %v", z, err)
		}
	}
	if !slices.IsSorted(zones[1:]) {
		t.Error("zones after UTC are not sorted")
	}
}

func TestNetworks(t *testing.T) {
	var ids []string
	for _, n := range settings.Networks() {
		ids = append(ids, n.ID)
		if n.Name == "" || !settings.KnownNetwork(n.ID) || settings.NetworkName(n.ID) != n.Name {
			t.Errorf("network %+v", n)
		}
	}
	want := []string{"mastodon", "bluesky", "x", "facebook", "instagram", "linkedin", "tumblr", "telegram", "threads", "pinterest", "youtube"}
	if !slices.Equal(ids, want) {
		t.Errorf("networks = %q, want %q", ids, want)
	}
	if settings.KnownNetwork("myspace") || settings.NetworkName("myspace") != "myspace" {
		t.Error("unknown network accepted")
	}
}
