// Package telegram posts the newsroom's articles to a Telegram channel
// through a bot of the newsroom's, over the Bot API (integrations.md §6):
// one text message per article, whose link preview shows the article
// (link_preview_options), sent by a bot that is an administrator of the
// channel allowed to post.
//
// The text goes without parse_mode. It is plain text rendered from the
// newsroom's template, with no markup to express; sent as is, it shows
// exactly as written, and a "<" or "&" in a title can never make Telegram
// refuse it ("can't parse entities"), which HTML would require escaping
// for. Telegram still makes links, #hashtags and @mentions clickable, and
// counts the 4096 limit on the same text (it counts after parsing).
//
// The Bot API has no idempotency and bots cannot read a channel's history,
// so a message whose answer was lost cannot be checked: a failure after the
// request was sent is Ambiguous and left to a person, never retried blindly.
package telegram

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/social/internal/wire"
	"github.com/kiosque/kiosque/internal/syndication"
)

// DefaultBaseURL is the Bot API's address.
const DefaultBaseURL = "https://api.telegram.org"

// The account settings this package reads (syndication.Telegram.Fields).
const (
	fieldChannel  = "channel"
	fieldBotToken = "bot_token"
)

var (
	// tokenPattern is the form of a bot token (123456789:AAH…): checked
	// before it goes into a URL path.
	tokenPattern = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	// usernamePattern is a public channel's @username.
	usernamePattern = regexp.MustCompile(`^@[A-Za-z][A-Za-z0-9_]{3,31}$`)
)

// Client speaks to the Bot API.
type Client struct {
	// HTTP makes the requests: kiosque's outbound client (httpclient.New).
	HTTP *http.Client
	// BaseURL is the Bot API's address, DefaultBaseURL unless a test (or a
	// self-hosted Bot API server) says otherwise.
	BaseURL string
}

var _ syndication.Publisher = (*Client)(nil)

// New returns a Client using hc, or kiosque's default outbound client when
// hc is nil.
func New(hc *http.Client) *Client {
	if hc == nil {
		hc = httpclient.New(httpclient.Options{})
	}
	return &Client{HTTP: hc, BaseURL: DefaultBaseURL}
}

// account is an account's settings, checked.
type account struct {
	token string
	chat  any // the chat_id: an int64 id or an "@username"
}

// accountOf reads and checks creds; a missing or malformed setting is an
// Auth failure, since the account must be fixed before anything can work.
func accountOf(creds syndication.Credentials) (account, error) {
	a := account{token: strings.TrimSpace(creds.Secrets[fieldBotToken])}
	if a.token == "" {
		return a, settingError("no bot token")
	}
	if !tokenPattern.MatchString(a.token) {
		return a, settingError("the bot token is not in BotFather's form 123456789:ABC…")
	}
	chat, err := chatID(creds.Config[fieldChannel])
	if err != nil {
		return a, settingError(err.Error())
	}
	a.chat = chat
	return a, nil
}

// chatID turns the "channel" setting (@name, name, https://t.me/name or a
// numeric id such as -1001234567890) into a chat_id.
func chatID(s string) (any, error) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"https://t.me/", "http://t.me/", "t.me/"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return nil, errors.New("no channel")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if !strings.HasPrefix(s, "@") {
		s = "@" + s
	}
	if !usernamePattern.MatchString(s) {
		return nil, fmt.Errorf("channel %q is neither an @username nor a numeric chat id", s)
	}
	return s, nil
}

func settingError(msg string) *syndication.Error {
	return &syndication.Error{Class: syndication.Auth, Message: "account setting: " + msg}
}

// user is the Bot API's User, as getMe answers it.
type user struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username"`
}

// chat is the part of Chat (or ChatFullInfo) kiosque reads.
type chat struct {
	ID       int64  `json:"id"`
	Type     string `json:"type"`
	Title    string `json:"title"`
	Username string `json:"username"`
}

// chatMember is the part of ChatMember kiosque reads.
type chatMember struct {
	Status          string `json:"status"`
	CanPostMessages bool   `json:"can_post_messages"`
}

// Verify checks the token (getMe), the channel (getChat) and that the bot
// may post there (getChatMember: an administrator with "Post messages"),
// and returns the channel's title and public address.
func (c *Client) Verify(ctx context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Profile{}, err
	}
	var me user
	if err := c.call(ctx, a, "getMe", struct{}{}, &me, false); err != nil {
		return syndication.Profile{}, err
	}
	if me.ID == 0 {
		return syndication.Profile{}, malformed("getMe", "no bot")
	}
	var ch chat
	if err := c.call(ctx, a, "getChat", map[string]any{"chat_id": a.chat}, &ch, false); err != nil {
		return syndication.Profile{}, err
	}
	if ch.ID == 0 {
		return syndication.Profile{}, malformed("getChat", "no chat")
	}
	var m chatMember
	if err := c.call(ctx, a, "getChatMember", map[string]any{"chat_id": ch.ID, "user_id": me.ID}, &m, false); err != nil {
		return syndication.Profile{}, err
	}
	if m.Status == "" {
		return syndication.Profile{}, malformed("getChatMember", "no status")
	}
	if !mayPost(ch.Type, m) {
		return syndication.Profile{}, &syndication.Error{Class: syndication.Auth,
			Message: fmt.Sprintf("the bot @%s is %s of %q, not an administrator allowed to post messages: promote it in the channel's settings",
				me.Username, memberStatus(m.Status), ch.Title)}
	}
	p := syndication.Profile{Name: ch.Title}
	if ch.Username != "" {
		p.URL = "https://t.me/" + ch.Username
	}
	return p, nil
}

// mayPost reports whether a member with m's rights can send messages to a
// chat of type chatType: in a channel only an administrator with
// can_post_messages (or its creator) can.
func mayPost(chatType string, m chatMember) bool {
	switch m.Status {
	case "creator":
		return true
	case "administrator":
		return chatType != "channel" || m.CanPostMessages
	case "member", "restricted":
		return chatType != "channel"
	}
	return false
}

// memberStatus describes a ChatMember status for a person.
func memberStatus(status string) string {
	switch status {
	case "administrator":
		return "an administrator without the right to post"
	case "left", "kicked":
		return status + " (not a member)"
	}
	return "a " + status
}

// sendMessage is the body of sendMessage.
type sendMessage struct {
	ChatID             any          `json:"chat_id"`
	Text               string       `json:"text"`
	LinkPreviewOptions *linkPreview `json:"link_preview_options,omitempty"`
}

// linkPreview is the Bot API's LinkPreviewOptions.
type linkPreview struct {
	URL              string `json:"url,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
}

// message is the part of Message kiosque reads.
type message struct {
	MessageID int64 `json:"message_id"`
	Chat      chat  `json:"chat"`
}

// Publish sends at.Post.Text to the channel, with the article's link as the
// preview, and returns the message's id ("chat id:message id") and its
// address when the channel is public.
func (c *Client) Publish(ctx context.Context, creds syndication.Credentials, at syndication.Attempt) (syndication.Remote, error) {
	a, err := accountOf(creds)
	if err != nil {
		return syndication.Remote{}, err
	}
	text := at.Post.Text
	if strings.TrimSpace(text) == "" {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent, Message: "the post has no text"}
	}
	if lim := syndication.Telegram.Limit(); !lim.Fits(text) {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Permanent,
			Message: fmt.Sprintf("the text counts %d UTF-16 units, more than the %d Telegram accepts", lim.Count(text), lim.Max)}
	}
	body := sendMessage{ChatID: a.chat, Text: text}
	if at.Post.Link != "" {
		// prefer_large_media only applies when the url is given.
		body.LinkPreviewOptions = &linkPreview{URL: at.Post.Link, PreferLargeMedia: true}
	}
	var m message
	if err := c.call(ctx, a, "sendMessage", body, &m, true); err != nil {
		return syndication.Remote{}, err
	}
	if m.MessageID == 0 || m.Chat.ID == 0 {
		return syndication.Remote{}, &syndication.Error{Class: syndication.Ambiguous,
			Message: "Telegram accepted the message but its answer names none: check the channel"}
	}
	r := syndication.Remote{ID: fmt.Sprintf("%d:%d", m.Chat.ID, m.MessageID)}
	if m.Chat.Username != "" {
		r.URL = fmt.Sprintf("https://t.me/%s/%d", m.Chat.Username, m.MessageID)
	}
	return r, nil
}

// Delete removes the message r.ID ("chat id:message id", or a message id
// in the account's channel). Bots may delete their messages for 48 hours;
// after that Telegram refuses, which is Permanent. A message already gone
// counts as deleted.
func (c *Client) Delete(ctx context.Context, creds syndication.Credentials, r syndication.Remote) error {
	a, err := accountOf(creds)
	if err != nil {
		return err
	}
	ch, msg, err := messageRef(r.ID, a.chat)
	if err != nil {
		return err
	}
	var ok bool
	err = c.call(ctx, a, "deleteMessage", map[string]any{"chat_id": ch, "message_id": msg}, &ok, false)
	var se *syndication.Error
	if errors.As(err, &se) && se.Class == syndication.Permanent && strings.Contains(se.Message, "message to delete not found") {
		return nil
	}
	return err
}

// messageRef reads a Remote.ID made by Publish ("chat id:message id"), or
// a bare message id in the account's chat.
func messageRef(id string, accountChat any) (chatID any, messageID int64, err error) {
	chatPart, msgPart, found := strings.Cut(id, ":")
	chatID = accountChat
	if !found {
		msgPart = chatPart
	} else if n, perr := strconv.ParseInt(chatPart, 10, 64); perr == nil {
		chatID = n
	} else {
		msgPart = ""
	}
	messageID, perr := strconv.ParseInt(msgPart, 10, 64)
	if perr != nil || messageID <= 0 {
		return nil, 0, &syndication.Error{Class: syndication.Permanent, Message: fmt.Sprintf("%q is not a Telegram message id", id)}
	}
	return chatID, messageID, nil
}

// answer is the Bot API's envelope.
type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call sends one Bot API request with params as JSON and decodes its result
// into out. posts says the method posts (sendMessage): a failure after the
// request went out is then Ambiguous, since it may have posted.
func (c *Client) call(ctx context.Context, a account, method string, params, out any, posts bool) error {
	b, err := json.Marshal(params)
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "cannot encode the request", Err: fmt.Errorf("%s: %w", method, err)}
	}
	req, err := wire.NewRequest(ctx, http.MethodPost, wire.BaseURL(c.BaseURL, DefaultBaseURL)+"/bot"+a.token+"/"+method, b, "application/json")
	if err != nil {
		// The URL holds the token: never wrap err, which quotes it.
		return &syndication.Error{Class: syndication.Permanent, Message: "the Bot API address is not a URL", Err: errors.New(method)}
	}
	rep, lost := wire.Send(c.HTTP, req)
	if lost != nil && lost.Status != 0 {
		return &syndication.Error{Class: ambiguousIf(posts, syndication.Transient), Status: lost.Status,
			Message: "the answer was cut off", Err: fmt.Errorf("%s: read answer: %w", method, lost.Err)}
	}
	if lost != nil {
		return transport.Error(method, lost, posts)
	}
	var ans answer
	if err := json.Unmarshal(rep.Body, &ans); err != nil || (!ans.OK && ans.Description == "" && ans.ErrorCode == 0) {
		if rep.Status >= 200 && rep.Status <= 299 {
			// A 200 to sendMessage means it posted, whatever the body.
			return &syndication.Error{Class: ambiguousIf(posts, syndication.Transient), Status: rep.Status,
				Message: "the Bot API's answer is not the JSON expected", Err: fmt.Errorf("%s: %w", method, cmpErr(err))}
		}
		return classify(method, rep, 0, http.StatusText(rep.Status), 0, posts)
	}
	if !ans.OK {
		return classify(method, rep, ans.ErrorCode, ans.Description, ans.Parameters.RetryAfter, posts)
	}
	if err := json.Unmarshal(ans.Result, out); err != nil {
		return &syndication.Error{Class: ambiguousIf(posts, syndication.Transient), Status: rep.Status,
			Message: "the Bot API's answer is not the JSON expected", Err: fmt.Errorf("%s: result: %w", method, err)}
	}
	return nil
}

// classify turns a refusal into its class (integrations.md §6): code is
// the body's error_code, the HTTP status counting when it is 0.
func classify(method string, rep *wire.Reply, code int, desc string, retryAfter int, posts bool) *syndication.Error {
	status := cmp.Or(code, rep.Status)
	e := &syndication.Error{Status: status, Message: desc, Err: fmt.Errorf("%s: error %d", method, status)}
	switch {
	case status == http.StatusTooManyRequests:
		e.Class = syndication.RateLimited
		e.RetryAfter = time.Duration(retryAfter) * time.Second
		if retryAfter == 0 {
			if n, err := strconv.Atoi(rep.Header.Get("Retry-After")); err == nil && n > 0 {
				e.RetryAfter = time.Duration(n) * time.Second
			}
		}
	case status == http.StatusUnauthorized, status == http.StatusForbidden, status == http.StatusNotFound:
		// 401: token revoked; 403: bot kicked or not a member; 404: the
		// path (that is, the token) names no bot.
		e.Class = syndication.Auth
	case status == http.StatusBadRequest && (strings.Contains(desc, "need administrator rights") ||
		strings.Contains(desc, "not enough rights")):
		// A bot that is a member but no longer an administrator allowed to
		// post: the account needs a person, as when it is kicked.
		e.Class = syndication.Auth
	case status == http.StatusGatewayTimeout && posts:
		// A proxy gave up waiting for Telegram, which may have posted.
		e.Class = syndication.Ambiguous
	case status >= 500:
		e.Class = syndication.Transient
	default:
		e.Class = syndication.Permanent
	}
	return e
}

// transport classifies a request that got no answer. The error of
// http.Client quotes the URL, which holds the bot token: only its cause is
// kept.
var transport = wire.Policy{CheckAddress: true, Cause: wire.Prefix,
	Words: func(why wire.Reason, _ string) string {
		switch why {
		case wire.RedirectLoop:
			return "the Bot API answers with a redirect loop"
		case wire.PrivateAddress:
			return "the Bot API address is on a private network"
		case wire.Lost:
			return "the message was sent but no answer came back: it may be in the channel, check before retrying"
		case wire.Timeout:
			return "the Bot API did not answer in time"
		}
		return "the Bot API could not be reached"
	}}

// malformed is a read whose answer lacks what it is for.
func malformed(method, what string) *syndication.Error {
	return &syndication.Error{Class: syndication.Transient, Message: "the Bot API's answer is not the JSON expected",
		Err: fmt.Errorf("%s: %s in the result", method, what)}
}

// ambiguousIf returns Ambiguous for a method that posts, else c.
func ambiguousIf(posts bool, c syndication.Class) syndication.Class {
	if posts {
		return syndication.Ambiguous
	}
	return c
}

func cmpErr(err error) error {
	if err == nil {
		return errors.New("no ok, result or description")
	}
	return err
}
