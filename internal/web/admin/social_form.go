package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/syndication"
)

// socialAccountForm is what the account form posts, kept as typed so a
// refused form comes back as it was, secrets excepted: they are never
// written into a page.
type socialAccountForm struct {
	Network syndication.Network
	Name    string
	// Config holds the network's settings that are not secret, Secrets
	// the ones typed in this post (an empty one keeps the stored value).
	Config   map[string]string
	Secrets  map[string]string
	Template string
	Enabled  bool

	OnPublish, OnUpdate bool
	Rescheduled         string
	CategoryIDs         []int64
	// Tags are comma-separated.
	Tags                string
	Match               string
	Pages, FeaturedOnly bool
	// Delay is in minutes, RepostAfter in hours, QuietFrom and
	// QuietUntil are HH:MM in the site's time zone.
	Delay, RepostAfter    string
	QuietFrom, QuietUntil string
	DeleteOnUnpublish     bool

	// PreviewArticle is the article the preview renders, 0 for the newest.
	PreviewArticle int64
	// Intent is "preview" when the form asks for the preview only.
	Intent string
}

// quietLayout is how a quiet window's ends are typed (input type=time).
const quietLayout = "15:04"

// newSocialAccountForm is the form of a new account on n: every new
// article at once, with the default message.
func newSocialAccountForm(n syndication.Network) socialAccountForm {
	return socialAccountFormOf(&syndication.Account{Network: n, Template: syndication.DefaultTemplate,
		Rules: syndication.DefaultRules(), Enabled: true, Config: map[string]string{}})
}

// socialAccountFormOf fills the form from a stored account.
func socialAccountFormOf(a *syndication.Account) socialAccountForm {
	r := a.Rules
	f := socialAccountForm{Network: a.Network, Name: a.Name, Config: map[string]string{}, Template: a.Template,
		Enabled: a.Enabled, OnPublish: r.OnPublish, OnUpdate: r.OnUpdate, Rescheduled: string(r.Rescheduled),
		CategoryIDs: r.Categories, Tags: strings.Join(r.Tags, ", "), Match: string(r.Match), Pages: r.Pages,
		FeaturedOnly: r.FeaturedOnly, DeleteOnUnpublish: r.DeleteOnUnpublish}
	for k, v := range a.Config {
		f.Config[k] = v
	}
	if r.Delay > 0 {
		f.Delay = strconv.Itoa(int(r.Delay / time.Minute))
	}
	if r.RepostAfter > 0 {
		f.RepostAfter = strconv.Itoa(int(r.RepostAfter / time.Hour))
	}
	if r.QuietFrom != r.QuietUntil {
		f.QuietFrom, f.QuietUntil = clockText(r.QuietFrom), clockText(r.QuietUntil)
	}
	return f
}

// clockText writes minutes after midnight as HH:MM.
func clockText(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// parseSocialAccountForm reads the posted account form; network is the
// stored account's, or the one the new account's form was opened for.
func parseSocialAccountForm(w http.ResponseWriter, r *http.Request, network syndication.Network) (socialAccountForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return socialAccountForm{}, errBadForm(err)
	}
	v := r.PostFormValue
	f := socialAccountForm{Network: network, Name: v("name"), Config: map[string]string{}, Secrets: map[string]string{},
		Template: strings.ReplaceAll(v("template"), "\r\n", "\n"), Enabled: v("enabled") != "",
		OnPublish: v("on_publish") != "", OnUpdate: v("on_update") != "", Rescheduled: v("rescheduled"),
		CategoryIDs: parseIDs(r.PostForm["category"]), Tags: v("tags"), Match: v("match"), Pages: v("pages") != "",
		FeaturedOnly: v("featured_only") != "", Delay: v("delay"), RepostAfter: v("repost_after"),
		QuietFrom: v("quiet_from"), QuietUntil: v("quiet_until"), DeleteOnUnpublish: v("delete_on_unpublish") != "",
		Intent: v("intent")}
	f.PreviewArticle, _ = strconv.ParseInt(v("preview_article"), 10, 64)
	for _, fd := range network.Fields() {
		if fd.Secret {
			f.Secrets[fd.Name] = v("secret." + fd.Name)
		} else {
			f.Config[fd.Name] = v("config." + fd.Name)
		}
	}
	return f, nil
}

// input turns the form into the service's input, and returns the
// messages (catalogue keys) of what does not parse, field by field.
func (f socialAccountForm) input() (syndication.AccountInput, formErrors) {
	errs := formErrors{}
	in := syndication.AccountInput{Network: f.Network, Name: f.Name, Config: f.Config, Secrets: f.Secrets,
		Template: f.Template, Enabled: f.Enabled}
	r := syndication.Rules{OnPublish: f.OnPublish, OnUpdate: f.OnUpdate, Rescheduled: syndication.Rescheduled(f.Rescheduled),
		Categories: f.CategoryIDs, Match: syndication.Match(f.Match), Pages: f.Pages, FeaturedOnly: f.FeaturedOnly,
		DeleteOnUnpublish: f.DeleteOnUnpublish}
	for t := range strings.SplitSeq(f.Tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			r.Tags = append(r.Tags, t)
		}
	}
	count := func(field, s string, unit time.Duration) time.Duration {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 100000 {
			errs[field] = "error.social.not_a_count"
			return 0
		}
		return time.Duration(n) * unit
	}
	r.Delay = count("delay", f.Delay, time.Minute)
	r.RepostAfter = count("repost_after", f.RepostAfter, time.Hour)
	clock := func(field, s string) int {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		t, err := time.Parse(quietLayout, s)
		if err != nil {
			errs[field] = "error.social.not_a_time"
			return 0
		}
		return t.Hour()*60 + t.Minute()
	}
	r.QuietFrom, r.QuietUntil = clock("quiet_from", f.QuietFrom), clock("quiet_until", f.QuietUntil)
	if (strings.TrimSpace(f.QuietFrom) == "") != (strings.TrimSpace(f.QuietUntil) == "") {
		errs["quiet_from"] = "error.social.quiet_both"
	}
	in.Rules = r
	return in, errs
}
