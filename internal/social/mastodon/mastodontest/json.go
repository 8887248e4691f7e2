package mastodontest

import (
	"time"
)

// The JSON shapes of Mastodon's Status, Account and CredentialAccount
// entities (docs.joinmastodon.org/entities), with every field a real
// instance sends, so that clients decoding them meet what they would
// meet in production.

type statusJSON struct {
	ID                 string         `json:"id"`
	CreatedAt          string         `json:"created_at"`
	InReplyToID        *string        `json:"in_reply_to_id"`
	InReplyToAccountID *string        `json:"in_reply_to_account_id"`
	Sensitive          bool           `json:"sensitive"`
	SpoilerText        string         `json:"spoiler_text"`
	Visibility         string         `json:"visibility"`
	Language           *string        `json:"language"`
	URI                string         `json:"uri"`
	URL                string         `json:"url"`
	RepliesCount       int            `json:"replies_count"`
	ReblogsCount       int            `json:"reblogs_count"`
	FavouritesCount    int            `json:"favourites_count"`
	EditedAt           *string        `json:"edited_at"`
	Favourited         bool           `json:"favourited"`
	Reblogged          bool           `json:"reblogged"`
	Muted              bool           `json:"muted"`
	Bookmarked         bool           `json:"bookmarked"`
	Pinned             bool           `json:"pinned"`
	Content            string         `json:"content"`
	Text               *string        `json:"text,omitempty"`
	Filtered           []any          `json:"filtered"`
	Reblog             *statusJSON    `json:"reblog"`
	Application        appJSON        `json:"application"`
	Account            accountJSON    `json:"account"`
	MediaAttachments   []any          `json:"media_attachments"`
	Mentions           []any          `json:"mentions"`
	Tags               []any          `json:"tags"`
	Emojis             []any          `json:"emojis"`
	Card               map[string]any `json:"card"`
	Poll               map[string]any `json:"poll"`
}

type appJSON struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

type accountJSON struct {
	ID             string      `json:"id"`
	Username       string      `json:"username"`
	Acct           string      `json:"acct"`
	DisplayName    string      `json:"display_name"`
	Locked         bool        `json:"locked"`
	Bot            bool        `json:"bot"`
	Discoverable   bool        `json:"discoverable"`
	Indexable      bool        `json:"indexable"`
	Group          bool        `json:"group"`
	CreatedAt      string      `json:"created_at"`
	Note           string      `json:"note"`
	URL            string      `json:"url"`
	URI            string      `json:"uri"`
	Avatar         string      `json:"avatar"`
	AvatarStatic   string      `json:"avatar_static"`
	Header         string      `json:"header"`
	HeaderStatic   string      `json:"header_static"`
	FollowersCount int         `json:"followers_count"`
	FollowingCount int         `json:"following_count"`
	StatusesCount  int         `json:"statuses_count"`
	LastStatusAt   *string     `json:"last_status_at"`
	HideCollection *bool       `json:"hide_collections"`
	Noindex        bool        `json:"noindex"`
	Emojis         []any       `json:"emojis"`
	Roles          []any       `json:"roles"`
	Fields         []fieldJSON `json:"fields"`
}

type fieldJSON struct {
	Name       string  `json:"name"`
	Value      string  `json:"value"`
	VerifiedAt *string `json:"verified_at"`
}

type credentialAccountJSON struct {
	accountJSON
	Source sourceJSON `json:"source"`
	Role   roleJSON   `json:"role"`
}

type sourceJSON struct {
	Privacy             string      `json:"privacy"`
	Sensitive           bool        `json:"sensitive"`
	Language            string      `json:"language"`
	Note                string      `json:"note"`
	Fields              []fieldJSON `json:"fields"`
	FollowRequestsCount int         `json:"follow_requests_count"`
}

type roleJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Permissions string `json:"permissions"`
	Highlighted bool   `json:"highlighted"`
}

// apiTime is how Mastodon writes times: ISO 8601 in UTC with milliseconds.
func apiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// account returns the account the tokens open. The caller holds s.mu.
func (s *Server) account() accountJSON {
	created := apiTime(time.Date(2023, 7, 2, 0, 0, 0, 0, time.UTC))
	var last *string
	if n := len(s.posts); n > 0 {
		d := s.posts[n-1].CreatedAt.Format(time.DateOnly)
		last = &d
	}
	return accountJSON{
		ID:             "110643428313746763",
		Username:       s.Username,
		Acct:           s.Username,
		DisplayName:    s.displayName,
		Discoverable:   true,
		Indexable:      true,
		CreatedAt:      created,
		Note:           "<p>Le journal du quartier</p>",
		URL:            s.URL + "/@" + s.Username,
		URI:            s.URL + "/users/" + s.Username,
		Avatar:         s.URL + "/avatars/original/missing.png",
		AvatarStatic:   s.URL + "/avatars/original/missing.png",
		Header:         s.URL + "/headers/original/missing.png",
		HeaderStatic:   s.URL + "/headers/original/missing.png",
		FollowersCount: 371,
		FollowingCount: 14,
		StatusesCount:  len(s.posts),
		LastStatusAt:   last,
		Emojis:         []any{},
		Roles:          []any{},
		Fields:         []fieldJSON{},
	}
}

// status returns p as the Status entity. The caller holds s.mu.
func (s *Server) status(p *Post) statusJSON {
	var lang *string
	if p.Language != "" {
		l := p.Language
		lang = &l
	}
	return statusJSON{
		ID:               p.ID,
		CreatedAt:        apiTime(p.CreatedAt),
		Sensitive:        p.Sensitive,
		SpoilerText:      p.SpoilerText,
		Visibility:       p.Visibility,
		Language:         lang,
		URI:              s.URL + "/users/" + s.Username + "/statuses/" + p.ID,
		URL:              p.URL,
		Content:          contentHTML(p.Text),
		Filtered:         []any{},
		Application:      appJSON{Name: "kiosque"},
		Account:          s.account(),
		MediaAttachments: []any{},
		Mentions:         []any{},
		Tags:             []any{},
		Emojis:           []any{},
	}
}
