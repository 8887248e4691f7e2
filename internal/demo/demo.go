// Package demo seeds a realistic French newsroom, « Le Veilleur », so that
// `kiosque serve --demo` shows the whole product on a fresh machine. Each
// capability adds its own demo data here.
package demo

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/users"
)

//go:embed content/site.toml content/comments.toml content/articles/*.md
var files embed.FS

// Services are what seeding writes through: the same services as the
// back office, so demo data obeys every rule real data does.
type Services struct {
	Content  *content.Service
	Users    *users.Service
	Settings *settings.Service
	// Comments is optional: without it, the demo has no comments.
	Comments *comments.Service
	// BaseURL is the site's public address, for the address a reader's
	// report names; without it, the demo has no reports.
	BaseURL string
	// Donations is optional: without it, the demo has no campaign.
	Donations *donations.Service
	// GiftHistory (kiosque serve --demo, not the tests) switches tax
	// receipts on, so the campaign's gifts get theirs, and adds a year of
	// monthly and one-off gifts before the
	// campaign, for the donations report (kiosque serve --demo); tests
	// leave it off, their figures being the campaign's alone.
	GiftHistory bool
	// Federation is optional: without it, the demo has no fediverse
	// audience.
	Federation *federation.Service
	// Redirects is optional: without it, the demo has no old WordPress
	// addresses.
	Redirects *redirects.Service
	// Shop is optional: without it, the demo has no bookshop.
	Shop *shop.Service
	// Syndication is optional: without it, the demo has no social
	// accounts.
	Syndication *syndication.Service
}

// Result tells what was seeded.
type Result struct {
	// AdminEmail and AdminPassword log in the first administrator; the
	// password is shown once and stored only as a hash.
	AdminEmail    string
	AdminPassword string
	Articles      int
	// Comments counts the demo's comments, in every status, and Reports
	// the readers' reports about them.
	Comments, Reports int
	// Redirects counts the old WordPress addresses.
	Redirects int
	// Followers and Reactions count the fediverse audience.
	Followers, Reactions int
	// Gifts counts the campaign's gifts.
	Gifts int
	// Books and Orders count the demo bookshop's titles and orders.
	Books, Orders int
	// SocialAccounts and Deliveries count the social accounts and their
	// logged posts.
	SocialAccounts, Deliveries int
	// ScheduledAt is when the demo's scheduled article will appear.
	ScheduledAt time.Time
}

// ScheduledDelay is how long after seeding the scheduled demo article
// appears, to show scheduled publishing without a restart.
const ScheduledDelay = 3 * time.Minute

type siteFile struct {
	Site struct {
		Title         string `toml:"title"`
		Tagline       string `toml:"tagline"`
		Description   string `toml:"description"`
		Language      string `toml:"language"`
		Timezone      string `toml:"timezone"`
		Appeal        string `toml:"appeal"`
		BookshopPromo string `toml:"bookshop_promo"`
		FooterText    string `toml:"footer_text"`
		SocialLinks   []struct {
			Network string `toml:"network"`
			URL     string `toml:"url"`
		} `toml:"social_links"`
	} `toml:"site"`
	Pages []struct {
		Slug  string `toml:"slug"`
		Title string `toml:"title"`
		Body  string `toml:"body"`
	} `toml:"pages"`
	Authors []struct {
		Key   string `toml:"key"`
		Name  string `toml:"name"`
		Email string `toml:"email"`
		Bio   string `toml:"bio"`
	} `toml:"authors"`
	Categories []struct {
		Slug        string `toml:"slug"`
		Name        string `toml:"name"`
		Description string `toml:"description"`
	} `toml:"categories"`
}

// frontMatter is the TOML header of a demo article.
type frontMatter struct {
	Title      string    `toml:"title"`
	Slug       string    `toml:"slug"`
	Author     string    `toml:"author"`
	Categories []string  `toml:"categories"`
	Tags       []string  `toml:"tags"`
	Published  time.Time `toml:"published"`
	Featured   bool      `toml:"featured"`
	Excerpt    string    `toml:"excerpt"`
	Status     string    `toml:"status"`
}

// Article is a demo article as read from its file.
type Article struct {
	File string
	frontMatter
	Body string
}

// Articles parses the embedded demo articles, oldest first.
func Articles() ([]Article, error) {
	names, err := fs.Glob(files, "content/articles/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Article, 0, len(names))
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		a, err := parseArticle(path.Base(name), b)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func parseArticle(name string, b []byte) (Article, error) {
	const sep = "+++"
	b = bytes.TrimLeft(b, "\ufeff\n")
	if !bytes.HasPrefix(b, []byte(sep)) {
		return Article{}, fmt.Errorf("demo article %s: no +++ front matter", name)
	}
	rest := b[len(sep):]
	end := bytes.Index(rest, []byte("\n"+sep))
	if end < 0 {
		return Article{}, fmt.Errorf("demo article %s: front matter not closed", name)
	}
	a := Article{File: name}
	if err := toml.Unmarshal(rest[:end], &a.frontMatter); err != nil {
		return Article{}, fmt.Errorf("demo article %s: %w", name, err)
	}
	a.Body = strings.TrimLeft(string(rest[end+len(sep)+1:]), "\n")
	return a, nil
}

// Seed fills an empty database with the demo newsroom. It refuses a
// database that already holds articles or accounts, so it can never mix
// demo data into a real site.
func Seed(ctx context.Context, s Services) (*Result, error) {
	existing, err := s.Users.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	if len(existing) > 0 {
		return nil, ErrNotEmpty
	}
	raw, err := files.ReadFile("content/site.toml")
	if err != nil {
		return nil, err
	}
	var sf siteFile
	if err := toml.Unmarshal(raw, &sf); err != nil {
		return nil, fmt.Errorf("demo site.toml: %w", err)
	}

	st := settings.Defaults()
	st.Title, st.Tagline, st.Description = sf.Site.Title, sf.Site.Tagline, sf.Site.Description
	st.Language, st.Timezone = sf.Site.Language, sf.Site.Timezone
	st.Appeal, st.BookshopPromo, st.FooterText = sf.Site.Appeal, sf.Site.BookshopPromo, sf.Site.FooterText
	for _, l := range sf.Site.SocialLinks {
		st.SocialLinks = append(st.SocialLinks, settings.SocialLink{Network: l.Network, URL: l.URL})
	}
	st.Publisher = "Association Le Veilleur"
	st.Copyright = "© Association Le Veilleur – textes sous licence CC BY-NC-ND 4.0"
	if err := s.Settings.Update(ctx, st); err != nil {
		return nil, fmt.Errorf("seed demo settings: %w", err)
	}

	res := &Result{AdminEmail: "admin@le-veilleur.example"}
	res.AdminPassword, err = users.GeneratePassword()
	if err != nil {
		return nil, err
	}
	admin, err := s.Users.Create(ctx, users.NewUser{Email: res.AdminEmail, Name: "Administration du Veilleur", Role: users.RoleAdmin, Password: res.AdminPassword})
	if err != nil {
		return nil, fmt.Errorf("seed demo admin: %w", err)
	}
	adminID := admin.ID
	authorIDs := map[string]int64{}
	for _, a := range sf.Authors {
		pw, err := users.GeneratePassword()
		if err != nil {
			return nil, err
		}
		u, err := s.Users.Create(ctx, users.NewUser{Email: a.Email, Name: a.Name, Bio: a.Bio, Role: users.RoleAuthor, Password: pw})
		if err != nil {
			return nil, fmt.Errorf("seed demo author %s: %w", a.Key, err)
		}
		authorIDs[a.Key] = u.ID
	}
	catIDs := map[string]int64{}
	for i, c := range sf.Categories {
		cat := &content.Category{Slug: c.Slug, Name: c.Name, Description: c.Description, Position: i}
		if err := s.Content.CreateCategory(ctx, cat); err != nil {
			return nil, fmt.Errorf("seed demo category %s: %w", c.Slug, err)
		}
		catIDs[c.Slug] = cat.ID
	}

	arts, err := Articles()
	if err != nil {
		return nil, err
	}
	for _, a := range arts {
		in := content.ArticleInput{
			Title: a.Title, Slug: a.Slug, Excerpt: a.Excerpt, Body: a.Body, Status: content.Status(a.Status),
			PublishedAt: a.Published, Featured: a.Featured, CommentsOpen: true, Tags: a.Tags,
		}
		if in.Status == "" {
			in.Status = content.StatusPublished
		}
		if in.Status == content.StatusScheduled {
			in.PublishedAt = s.Content.Now().Add(ScheduledDelay).Truncate(time.Second)
			res.ScheduledAt = in.PublishedAt
		}
		id, ok := authorIDs[a.Author]
		if !ok {
			return nil, fmt.Errorf("demo article %s: unknown author %q", a.File, a.Author)
		}
		in.AuthorIDs = []int64{id}
		for _, c := range a.Categories {
			cid, ok := catIDs[c]
			if !ok {
				return nil, fmt.Errorf("demo article %s: unknown category %q", a.File, c)
			}
			in.CategoryIDs = append(in.CategoryIDs, cid)
		}
		if _, err := s.Content.CreateArticle(ctx, in); err != nil {
			return nil, fmt.Errorf("seed demo article %s: %w", a.File, err)
		}
		res.Articles++
	}
	for _, p := range sf.Pages {
		in := content.ArticleInput{Kind: content.KindPage, Title: p.Title, Slug: p.Slug, Body: p.Body,
			Status: content.StatusPublished, PublishedAt: s.Content.Now(), AuthorIDs: []int64{adminID}}
		if _, err := s.Content.CreateArticle(ctx, in); err != nil {
			return nil, fmt.Errorf("seed demo page %s: %w", p.Slug, err)
		}
	}
	if s.Redirects != nil {
		if res.Redirects, err = seedRedirects(ctx, s); err != nil {
			return nil, err
		}
	}
	if s.Comments != nil {
		if res.Comments, res.Reports, err = seedComments(ctx, s, adminID); err != nil {
			return nil, err
		}
	}
	if s.Donations != nil {
		if s.GiftHistory {
			if err := enableReceipts(ctx, s, adminID, s.Content.Now()); err != nil {
				return nil, err
			}
		}
		if res.Gifts, err = seedCampaign(ctx, s, adminID, s.Content.Now()); err != nil {
			return nil, err
		}
		if s.GiftHistory {
			if _, err := seedGiftHistory(ctx, s.Donations.Store, s.Content.Now()); err != nil {
				return nil, err
			}
		}
	}
	if s.Shop != nil {
		if res.Books, res.Orders, err = seedShop(ctx, s, s.Content.Now()); err != nil {
			return nil, err
		}
	}
	if s.Syndication != nil {
		if res.SocialAccounts, res.Deliveries, err = seedSocial(ctx, s, s.Content.Now()); err != nil {
			return nil, err
		}
	}
	if s.Federation != nil {
		if res.Followers, res.Reactions, err = seedFediverse(ctx, s, s.Content.Now()); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// ErrNotEmpty is returned by Seed on a database that already has accounts.
var ErrNotEmpty = errors.New("the database already holds data; the demo is only seeded into an empty one")

// commentsFile is content/comments.toml.
type commentsFile struct {
	Comments []struct {
		Article string   `toml:"article"`
		Parent  *int     `toml:"parent"`
		Staff   bool     `toml:"staff"`
		Name    string   `toml:"name"`
		Email   string   `toml:"email"`
		URL     string   `toml:"url"`
		Minutes int      `toml:"minutes"`
		IP      string   `toml:"ip"`
		Status  string   `toml:"status"`
		Score   float64  `toml:"score"`
		Reasons []string `toml:"reasons"`
		Text    string   `toml:"text"`
	} `toml:"comments"`
	// Reports are readers' notices about comments (by index), waiting
	// for a moderator's decision.
	Reports []struct {
		Comment     int    `toml:"comment"`
		Reason      string `toml:"reason"`
		Name        string `toml:"name"`
		Email       string `toml:"email"`
		IP          string `toml:"ip"`
		Explanation string `toml:"explanation"`
	} `toml:"reports"`
}

// seedComments imports the demo's discussions: threads under a few
// articles, the newsroom answering one reader, a few comments waiting in
// the queue and one in the spam folder, and a reader's report waiting for
// a decision.
func seedComments(ctx context.Context, s Services, staffID int64) (int, int, error) {
	raw, err := files.ReadFile("content/comments.toml")
	if err != nil {
		return 0, 0, err
	}
	var cf commentsFile
	if err := toml.Unmarshal(raw, &cf); err != nil {
		return 0, 0, fmt.Errorf("demo comments.toml: %w", err)
	}
	ids := make([]int64, len(cf.Comments))
	for i, d := range cf.Comments {
		a, err := s.Content.ArticleBySlug(ctx, d.Article)
		if err != nil {
			return 0, 0, fmt.Errorf("demo comment %d: article %q: %w", i, d.Article, err)
		}
		c := &comments.Comment{ArticleID: a.ID, AuthorName: d.Name, AuthorEmail: d.Email, AuthorURL: d.URL,
			Body: strings.TrimSpace(d.Text), Status: comments.Status(d.Status), Score: d.Score, Reasons: d.Reasons,
			CreatedAt: a.PublishedAt.Add(time.Duration(d.Minutes) * time.Minute)}
		if c.Status == "" {
			c.Status = comments.StatusApproved
		}
		if d.Staff {
			c.UserID = staffID
		}
		if d.Parent != nil {
			if *d.Parent < 0 || *d.Parent >= i {
				return 0, 0, fmt.Errorf("demo comment %d: parent %d is not an earlier comment", i, *d.Parent)
			}
			c.ParentID = ids[*d.Parent]
		}
		if err := s.Comments.Import(ctx, c, d.IP); err != nil {
			return 0, 0, fmt.Errorf("demo comment %d: %w", i, err)
		}
		ids[i] = c.ID
	}
	if s.BaseURL == "" {
		return len(ids), 0, nil
	}
	for i, r := range cf.Reports {
		if r.Comment < 0 || r.Comment >= len(ids) {
			return 0, 0, fmt.Errorf("demo report %d: no comment %d", i, r.Comment)
		}
		c, t, err := s.Comments.Reportable(ctx, ids[r.Comment])
		if err != nil {
			return 0, 0, fmt.Errorf("demo report %d: %w", i, err)
		}
		_, err = s.Comments.Report(ctx, comments.NewReport{CommentID: c.ID, Reason: comments.ReportReason(r.Reason),
			Explanation: strings.TrimSpace(r.Explanation), URL: fmt.Sprintf("%s#comment-%d", t.URL, c.ID),
			Name: r.Name, Email: r.Email, GoodFaith: true, IP: r.IP})
		if err != nil {
			return 0, 0, fmt.Errorf("demo report %d: %w", i, err)
		}
	}
	return len(ids), len(cf.Reports), nil
}
