package federation

import (
	"context"
	"fmt"
	"html"
	"mime"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation/vocab"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/textproc"
)

// OutboxPageSize is the number of activities per outbox page.
const OutboxPageSize = 20

// Actor returns the document of the local actor local ("" the
// publication, else an author's slug when authors are actors).
func (s *Service) Actor(ctx context.Context, local string) (*vocab.Person, error) {
	au, err := s.localActor(ctx, local)
	if err != nil {
		return nil, err
	}
	cfg := s.Config()
	st := s.d.Settings()
	pem, err := s.d.PublicKey(ctx)
	if err != nil {
		return nil, err
	}
	in := vocab.ActorInput{
		ID: s.ActorID(local), Username: cfg.Username, Acct: cfg.Username + "@" + s.Host(), Name: textproc.Typography(st.Title, st.Style()),
		SummaryHTML: html.EscapeString(textproc.Typography(cmpOr(st.Description, st.Tagline), st.Style())), ProfileURL: s.d.BaseURL + "/",
		Inbox: s.inboxOf(local), Outbox: s.outboxOf(local), Followers: s.followersOf(local), Following: s.followingOf(local),
		Featured: s.featuredOf(local), SharedInbox: s.SharedInbox(), PublicKeyPEM: pem,
		ManuallyApprovesFollowers: cfg.Locked, Discoverable: true, Indexable: true,
		Published: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	if au != nil {
		in.Username, in.Acct, in.Name = au.Slug, au.Slug+"@"+s.Host(), au.Name
		in.SummaryHTML = html.EscapeString(au.Bio)
		in.ProfileURL = s.d.BaseURL + s.d.Paths.Author(au.Slug)
	}
	if logo := s.absolute(st.LogoURL); logo != "" {
		in.Icon = &vocab.ImageInput{URL: logo, MediaType: mediaType(logo)}
	}
	if header := s.absolute(cfg.HeaderURL); header != "" {
		in.Header = &vocab.ImageInput{URL: header, MediaType: mediaType(header)}
	}
	in.Fields = append(in.Fields, vocab.ProfileField{Name: "Site", URL: s.d.BaseURL + "/"})
	for _, l := range st.SocialLinks {
		in.Fields = append(in.Fields, vocab.ProfileField{Name: networkLabel(l.Network), URL: l.URL})
	}
	return vocab.NewPerson(in)
}

// localActor reports NotFound unless local is one of the site's actors
// now: the publication while federation is on (nil author), an author
// while authors are actors (the author). The collections check it without
// building the actor's document.
func (s *Service) localActor(ctx context.Context, local string) (*content.Author, error) {
	cfg := s.Config()
	if !cfg.Enabled || local != "" && !cfg.AuthorActors {
		return nil, errNotFound()
	}
	if local == "" {
		return nil, nil
	}
	return s.d.Articles.AuthorBySlug(ctx, local)
}

// networkLabel names a social network in a profile table.
func networkLabel(network string) string {
	if network == "" {
		return "Web"
	}
	return strings.ToUpper(network[:1]) + network[1:]
}

// WebFinger answers /.well-known/webfinger for resource: an "acct:" handle
// of one of the site's actors, or an actor's id. A resource that is not
// an acct: or http(s) address is Invalid (400); one of nobody here is
// NotFound.
func (s *Service) WebFinger(ctx context.Context, resource string) (*vocab.JRD, error) {
	cfg := s.Config()
	if !cfg.Enabled {
		return nil, errNotFound()
	}
	resource = strings.TrimSpace(resource)
	var local string
	switch {
	case strings.HasPrefix(resource, "acct:"):
		user, host, ok := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@"), "@")
		if !ok || user == "" || host == "" {
			return nil, apperr.New(apperr.Invalid, "error.bad_request.text")
		}
		if !strings.EqualFold(host, s.Host()) {
			return nil, errNotFound()
		}
		user = strings.ToLower(user)
		switch {
		case user == cfg.Username:
		case cfg.AuthorActors:
			local = user
		default:
			return nil, errNotFound()
		}
	case strings.HasPrefix(resource, "https://") || strings.HasPrefix(resource, "http://"):
		var ok bool
		if local, ok = s.localActorOf(resource); !ok {
			return nil, errNotFound()
		}
	default:
		return nil, apperr.New(apperr.Invalid, "error.bad_request.text")
	}
	username, profile := cfg.Username, s.d.BaseURL+"/"
	if local != "" {
		au, err := s.d.Articles.AuthorBySlug(ctx, local)
		if err != nil {
			return nil, err
		}
		username, profile = au.Slug, s.d.BaseURL+s.d.Paths.Author(au.Slug)
	}
	return vocab.NewWebFinger(vocab.WebFingerInput{Username: username, Domain: s.Host(), ActorID: s.ActorID(local), ProfileURL: profile})
}

// NodeInfoLinks answers /.well-known/nodeinfo.
func (s *Service) NodeInfoLinks() (*vocab.NodeInfoLinks, error) {
	if !s.Enabled() {
		return nil, errNotFound()
	}
	return vocab.NewNodeInfoLinks(s.d.BaseURL + "/nodeinfo/2.1")
}

// NodeInfo answers /nodeinfo/2.1: the software and how much it published.
func (s *Service) NodeInfo(ctx context.Context) (*vocab.NodeInfo, error) {
	if !s.Enabled() {
		return nil, errNotFound()
	}
	_, total, err := s.d.Store.Outbox(ctx, "", 1, 0)
	if err != nil {
		return nil, err
	}
	st := s.d.Settings()
	return vocab.NewNodeInfo(vocab.NodeInfoInput{SoftwareName: "kiosque", SoftwareVersion: cmpOr(s.d.Version, "dev"),
		Users: 1, ActiveMonth: 1, ActiveHalfyear: 1, LocalPosts: total, NodeName: st.Title, NodeDescription: st.Description})
}

// Object returns the ActivityPub object of an article the public may read,
// the answer to its address asked with "Accept: application/activity+json";
// NotFound for any other.
func (s *Service) Object(ctx context.Context, a *content.Article) (*vocab.Object, error) {
	if !s.Enabled() || a.Kind != content.KindPost || !a.VisibleAt(s.d.Clock.Now()) {
		return nil, errNotFound()
	}
	return s.object(ctx, a, s.objectType())
}

// Tombstone returns what the address of an article once federated and
// now unpublished answers (410), or NotFound.
func (s *Service) Tombstone(ctx context.Context, a *content.Article) (*vocab.Tombstone, error) {
	st, err := s.d.Store.ArticleState(ctx, a.ID)
	if err != nil || !st.Deleted {
		return nil, errNotFound()
	}
	return vocab.NewTombstone(s.ArticleURL(a), st.ObjectType, st.UpdatedAt)
}

// objectType returns what articles are sent as.
func (s *Service) objectType() vocab.ObjectType {
	if s.Config().ObjectType == settings.ObjectNote {
		return vocab.TypeNote
	}
	return vocab.TypeArticle
}

// object builds the object of an article.
func (s *Service) object(_ context.Context, a *content.Article, typ vocab.ObjectType) (*vocab.Object, error) {
	st := s.d.Settings()
	in := vocab.ArticleInput{
		ID: s.ArticleURL(a), URL: s.ArticleURL(a), ActorID: s.ActorID(""), FollowersURL: s.followersOf(""),
		RepliesURL: s.RepliesURL(a.ID), Title: textproc.Typography(a.Title, st.Style()),
		Excerpt: textproc.Typography(a.Description(), st.Style()), ContentHTML: a.BodyHTML,
		Language: st.Language, Published: a.PublishedAt, Updated: a.UpdatedAt,
	}
	for _, t := range a.Tags {
		in.Tags = append(in.Tags, vocab.TagInput{Label: t.Name, URL: s.d.BaseURL + s.d.Paths.Tag(t.Slug)})
	}
	if img := s.absolute(a.ImageURL); img != "" {
		in.Images = append(in.Images, vocab.ImageInput{URL: img, MediaType: mediaType(img), Alt: a.ImageAlt})
	}
	return vocab.NewObject(in, typ)
}

// Outbox returns the outbox of local: the collection, or its page page
// (from 1) of Create activities, newest first.
func (s *Service) Outbox(ctx context.Context, local string, page int) (any, error) {
	if _, err := s.localActor(ctx, local); err != nil {
		return nil, err
	}
	id := s.outboxOf(local)
	items, total, err := s.d.Store.Outbox(ctx, local, OutboxPageSize, max(page-1, 0)*OutboxPageSize)
	if err != nil {
		return nil, err
	}
	if page < 1 {
		return vocab.NewOrderedCollection(id, total, id+"?page=1")
	}
	ref := vocab.PageRef{ID: id + "?page=" + strconv.Itoa(page), PartOf: id, TotalItems: total}
	if page*OutboxPageSize < total {
		ref.Next = id + "?page=" + strconv.Itoa(page+1)
	}
	if page > 1 {
		ref.Prev = id + "?page=" + strconv.Itoa(page-1)
	}
	creates := make([]*vocab.OutboxActivity, 0, len(items))
	for _, o := range items {
		act, err := decodeOutboxActivity(o.Body)
		if err != nil {
			return nil, fmt.Errorf("outbox activity %s: %w", o.ActivityID, err)
		}
		creates = append(creates, act)
	}
	return vocab.NewOutboxPage(ref, creates)
}

// Followers returns the followers collection of local: a count, the
// readers' names staying private (Mastodon shows the count).
func (s *Service) Followers(ctx context.Context, local string) (*vocab.OrderedCollection, error) {
	if _, err := s.localActor(ctx, local); err != nil {
		return nil, err
	}
	_, total, err := s.d.Store.Followers(ctx, FollowerQuery{LocalActor: local, State: FollowAccepted, Limit: 1})
	if err != nil {
		return nil, err
	}
	return vocab.NewCountOnlyCollection(s.followersOf(local), total)
}

// Following returns the following collection of local: the publication
// follows nobody.
func (s *Service) Following(ctx context.Context, local string) (*vocab.OrderedCollection, error) {
	if _, err := s.localActor(ctx, local); err != nil {
		return nil, err
	}
	return vocab.NewCountOnlyCollection(s.followingOf(local), 0)
}

// Featured returns the featured collection: the articles "à la une",
// which Mastodon pins on the profile.
func (s *Service) Featured(ctx context.Context, local string) (*vocab.OrderedCollection, error) {
	if _, err := s.localActor(ctx, local); err != nil {
		return nil, err
	}
	featured := true
	f := content.ArticleFilter{Featured: &featured, AuthorSlug: local}
	p, err := s.d.Articles.PublicList(ctx, f, 1, 5)
	if err != nil {
		return nil, err
	}
	objs := make([]*vocab.Object, 0, len(p.Articles))
	for _, a := range p.Articles {
		full, err := s.d.Articles.ArticleByID(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		o, err := s.object(ctx, full, s.objectType())
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	return vocab.NewFeaturedCollection(s.featuredOf(local), objs)
}

// absolute returns a site-relative address made absolute, an absolute one
// as it is, "" for none.
func (s *Service) absolute(u string) string {
	switch {
	case u == "":
		return ""
	case strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"):
		return u
	case strings.HasPrefix(u, "/"):
		return s.d.BaseURL + u
	}
	return ""
}

// mediaType guesses an image's type from its name.
func mediaType(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(u))); strings.HasPrefix(t, "image/") {
		return t
	}
	return "image/jpeg"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Replies returns the replies collection of an article: a count of none,
// the discussion being on the article's page, where its comments are
// moderated.
func (s *Service) Replies(ctx context.Context, articleID int64) (*vocab.OrderedCollection, error) {
	if !s.Enabled() {
		return nil, errNotFound()
	}
	a, err := s.d.Articles.ArticleByID(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if !a.VisibleAt(s.d.Clock.Now()) {
		return nil, errNotFound()
	}
	return vocab.NewCountOnlyCollection(s.RepliesURL(articleID), 0)
}
