// Package telegramtest is a fake Telegram Bot API for tests: one bot and
// one channel, the methods kiosque uses (getMe, getChat, getChatMember,
// sendMessage, deleteMessage), checked as the Bot API checks them (the
// token in the path, parameter types, the bot's rights in the channel,
// HTML entities, 4096 UTF-16 units after parsing, deletion within 48
// hours), answered in the API's envelopes, plus switches that make the
// next requests fail as the API does. Other packages' tests reuse it.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/kiosque/kiosque/internal/social/internal/fake"
)

// Failure is how the fake answers a request it was told to fail.
type Failure int

// The failures FailNext injects, before the request is handled unless
// said otherwise.
const (
	// RateLimited answers 429 with parameters.retry_after (5 s unless
	// SetRetryAfter says otherwise).
	RateLimited Failure = iota + 1
	// Unauthorized answers 401, as for a revoked token.
	Unauthorized
	// ServerError answers 500 in the API's envelope.
	ServerError
	// BadGateway answers 502 with the HTML page of the API's front proxy.
	BadGateway
	// Hang never answers: the request waits until the client gives up.
	Hang
	// HangAfterSending handles the request (the message is posted) and
	// then never answers, as when the answer is lost on the way back.
	HangAfterSending
	// MalformedJSON answers 200 with JSON cut in the middle.
	MalformedJSON
	// RedirectLoop answers 307 to an address that redirects to itself.
	RedirectLoop
)

// MaxLength is the most UTF-16 code units a message's text may have after
// entity parsing.
const MaxLength = 4096

// DeleteWindow is how long a bot may delete its own messages.
const DeleteWindow = 48 * time.Hour

// LinkPreviewOptions is the Bot API's LinkPreviewOptions.
type LinkPreviewOptions struct {
	IsDisabled       bool   `json:"is_disabled,omitempty"`
	URL              string `json:"url,omitempty"`
	PreferSmallMedia bool   `json:"prefer_small_media,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
	ShowAboveText    bool   `json:"show_above_text,omitempty"`
}

// Message is a message the fake received.
type Message struct {
	ChatID    int64
	MessageID int64
	// Text is the text as readers see it, after parse_mode; RawText is
	// what was sent.
	Text        string
	RawText     string
	ParseMode   string
	LinkPreview *LinkPreviewOptions
	// ChatIDJSON is the chat_id as sent, in JSON: -100… or "@username"
	// (a string when it came in a form).
	ChatIDJSON          string
	DisableNotification bool
	Date                time.Time
	Deleted             bool
}

// Server is the fake Bot API.
type Server struct {
	// URL is the API's address, a telegram.Client's BaseURL.
	URL string
	// Token is the bot's token, the "bot_token" setting of an account.
	Token string
	// BotID and BotUsername are the bot's.
	BotID       int64
	BotUsername string
	// ChannelID and ChannelTitle are the channel's.
	ChannelID    int64
	ChannelTitle string

	srv  *httptest.Server
	done chan struct{}

	mu              sync.Mutex
	channelUsername string
	memberStatus    string
	canPost         bool
	revoked         bool
	offset          time.Duration
	retryAfter      int
	nextID          int64
	messages        []*Message

	failures fake.Queue[Failure]
	calls    fake.Log[string]
}

// NewServer starts a fake Bot API whose bot is an administrator of the
// channel @lagazette_info allowed to post; it is closed when tb ends.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		Token:           "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", //nolint:gosec // G101: the fake's own test token
		BotID:           123456789,
		BotUsername:     "kiosque_bot",
		ChannelID:       -1001234567890,
		ChannelTitle:    "La Gazette",
		done:            make(chan struct{}),
		channelUsername: "lagazette_info",
		memberStatus:    "administrator",
		canPost:         true,
		retryAfter:      5,
		nextID:          41,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

// FailNext makes the next n requests fail with f.
func (s *Server) FailNext(n int, f Failure) { s.failures.Add(f, n) }

// SetBotMember sets the bot's status in the channel ("administrator",
// "member", "left", "kicked") and, for an administrator, its right to post.
func (s *Server) SetBotMember(status string, canPost bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.memberStatus, s.canPost = status, canPost
}

// SetChannelUsername sets the channel's public @username ("" makes it a
// private channel, reachable by its numeric id only).
func (s *Server) SetChannelUsername(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channelUsername = name
}

// RevokeToken makes every later request with the token answer 401, as
// after /revoke in BotFather.
func (s *Server) RevokeToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked = true
}

// SetRetryAfter sets the retry_after of RateLimited answers, in seconds.
func (s *Server) SetRetryAfter(seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryAfter = seconds
}

// Advance moves the API's clock forward, to age messages past DeleteWindow.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
}

func (s *Server) now() time.Time { return time.Now().UTC().Add(s.offset) }

// Messages returns the messages sent so far, deleted ones included.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = *m
		if m.LinkPreview != nil {
			lp := *m.LinkPreview
			out[i].LinkPreview = &lp
		}
	}
	return out
}

// Calls returns the methods called, in order, as named in the requests.
func (s *Server) Calls() []string { return s.calls.All() }

// apiError is a refusal in the API's envelope.
type apiError struct {
	code       int
	desc       string
	retryAfter int
}

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, desc: "Bad Request: " + fmt.Sprintf(format, args...)}
}

// serve routes /bot<token>/<method>, applying the failure queued for the
// request first.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/redirect-loop" {
		http.Redirect(w, r, "/redirect-loop", http.StatusTemporaryRedirect)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	s.calls.Add(method)
	f := s.failures.Next(r)
	s.mu.Lock()
	retryAfter := s.retryAfter
	s.mu.Unlock()

	switch f {
	case RateLimited:
		writeError(w, &apiError{code: http.StatusTooManyRequests,
			desc: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), retryAfter: retryAfter})
		return
	case Unauthorized:
		writeError(w, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	case ServerError:
		writeError(w, &apiError{code: http.StatusInternalServerError, desc: "Internal Server Error"})
		return
	case BadGateway:
		fake.WriteRaw(w, http.StatusBadGateway, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n")
		return
	case Hang:
		fake.Hang(r, time.Minute, s.done)
		return
	case MalformedJSON:
		fake.WriteRaw(w, http.StatusOK, "application/json", `{"ok":true,"result":{"message_id":4`)
		return
	case RedirectLoop:
		http.Redirect(w, r, "/redirect-loop", http.StatusTemporaryRedirect)
		return
	}

	if !ok || !ok2 || token == "" || strings.Contains(method, "/") {
		writeError(w, &apiError{code: http.StatusNotFound, desc: "Not Found"})
		return
	}
	s.mu.Lock()
	revoked := s.revoked
	s.mu.Unlock()
	if token != s.Token || revoked {
		writeError(w, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	p, perr := readParams(w, r)
	var result any
	if perr == nil {
		s.mu.Lock()
		// Method names are case-insensitive in the Bot API.
		switch strings.ToLower(method) {
		case "getme":
			result = s.getMe()
		case "getchat":
			result, perr = s.getChat(p)
		case "getchatmember":
			result, perr = s.getChatMember(p)
		case "sendmessage":
			result, perr = s.sendMessage(p)
		case "deletemessage":
			result, perr = s.deleteMessage(p)
		default:
			perr = &apiError{code: http.StatusNotFound, desc: "Not Found"}
		}
		s.mu.Unlock()
	}
	if perr != nil {
		writeError(w, perr)
		return
	}
	if f == HangAfterSending {
		fake.Hang(r, time.Minute, s.done)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

// params are a request's parameters: from a JSON body, or as strings from
// the query, a urlencoded or a multipart body (where objects such as
// link_preview_options are JSON-serialized), as the Bot API accepts them.
type params map[string]json.RawMessage

func readParams(w http.ResponseWriter, r *http.Request) (params, *apiError) {
	p := params{}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" {
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			return nil, badRequest("can't parse JSON object")
		}
		return p, nil
	}
	var form url.Values
	switch mt {
	case "multipart/form-data":
		//nolint:gosec // G120: r.Body is bounded by MaxBytesReader above
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, badRequest("can't parse request body")
		}
		form = r.Form
	default:
		if err := r.ParseForm(); err != nil {
			return nil, badRequest("can't parse request body")
		}
		form = r.Form
	}
	for k, v := range form {
		b, _ := json.Marshal(v[0])
		p[k] = b
	}
	return p, nil
}

// str returns the string parameter name ("" when absent), accepting a
// number as the API does.
func (p params) str(name string) (string, *apiError) {
	v, ok := p[name]
	if !ok || string(v) == "null" {
		return "", nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), nil
	}
	return "", badRequest("field %q must be of type String", name)
}

// integer returns the integer parameter name, 0 when absent.
func (p params) integer(name string) (int64, *apiError) {
	s, err := p.str(name)
	if err != nil || s == "" {
		return 0, err
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		return 0, badRequest("field %q must be of type Integer", name)
	}
	return n, nil
}

func (p params) boolean(name string) (bool, *apiError) {
	v, ok := p[name]
	if !ok {
		return false, nil
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return b, nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil && (s == "true" || s == "false") {
		return s == "true", nil
	}
	return false, badRequest("field %q must be of type Boolean", name)
}

// chat resolves chat_id, a numeric id or "@username", and returns it as
// sent. The caller holds s.mu.
func (s *Server) chat(p params) (string, *apiError) {
	raw, err := p.str("chat_id")
	if err != nil || raw == "" {
		return "", badRequest("chat_id is empty")
	}
	if n, perr := strconv.ParseInt(raw, 10, 64); perr == nil && n == s.ChannelID {
		return string(p["chat_id"]), nil
	}
	if s.channelUsername != "" && strings.EqualFold(raw, "@"+s.channelUsername) {
		return string(p["chat_id"]), nil
	}
	return "", badRequest("chat not found")
}

// canSend checks the bot's membership as sendMessage does.
func (s *Server) canSend() *apiError {
	switch {
	case s.memberStatus == "kicked":
		return &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was kicked from the channel chat"}
	case s.memberStatus == "left":
		return &apiError{code: http.StatusForbidden, desc: "Forbidden: bot is not a member of the channel chat"}
	case s.memberStatus != "administrator" || !s.canPost:
		return badRequest("need administrator rights in the channel chat")
	}
	return nil
}

func (s *Server) getMe() userJSON {
	return userJSON{ID: s.BotID, IsBot: true, FirstName: "Kiosque", Username: s.BotUsername,
		CanJoinGroups: boolPtr(true), CanReadAllGroupMessages: boolPtr(false), SupportsInlineQueries: boolPtr(false),
		CanConnectToBusiness: boolPtr(false), HasMainWebApp: boolPtr(false)}
}

func (s *Server) getChat(p params) (any, *apiError) {
	if _, err := s.chat(p); err != nil {
		return nil, err
	}
	if s.memberStatus == "kicked" {
		return nil, &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was kicked from the channel chat"}
	}
	c := s.chatInfo()
	return chatFullInfoJSON{chatJSON: c, Description: "Le journal du quartier", AccentColorID: 1, MaxReactionCount: 11,
		AcceptedGiftTypes: map[string]bool{"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false}}, nil
}

func (s *Server) getChatMember(p params) (any, *apiError) {
	if _, err := s.chat(p); err != nil {
		return nil, err
	}
	uid, err := p.integer("user_id")
	if err != nil {
		return nil, err
	}
	if uid == 0 {
		return nil, badRequest("user_id is empty")
	}
	if uid != s.BotID {
		return nil, badRequest("member not found")
	}
	m := chatMemberJSON{Status: s.memberStatus, User: s.getMe()}
	if s.memberStatus == "administrator" {
		m.adminRightsJSON = &adminRightsJSON{CanManageChat: true, CanPostMessages: s.canPost, CanEditMessages: true,
			CanDeleteMessages: true, CanInviteUsers: true}
	}
	return m, nil
}

func (s *Server) sendMessage(p params) (any, *apiError) {
	chatParam, err := s.chat(p)
	if err != nil {
		return nil, err
	}
	if err := s.canSend(); err != nil {
		return nil, err
	}
	raw, err := p.str("text")
	if err != nil {
		return nil, err
	}
	mode, err := p.str("parse_mode")
	if err != nil {
		return nil, err
	}
	text := raw
	switch strings.ToLower(mode) {
	case "":
	case "html":
		var perr error
		if text, perr = parseHTML(raw); perr != nil {
			return nil, badRequest("can't parse entities: %v", perr)
		}
	default:
		// The fake parses HTML only; MarkdownV2 would pass unchecked.
		return nil, badRequest("unsupported parse_mode %q (the fake parses HTML only)", mode)
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, badRequest("message text is empty")
	}
	if n := len(utf16.Encode([]rune(text))); n > MaxLength {
		return nil, badRequest("message is too long")
	}
	var lp *LinkPreviewOptions
	if v, ok := p["link_preview_options"]; ok {
		lp = &LinkPreviewOptions{}
		// In a form, objects are JSON-serialized strings.
		var s string
		if json.Unmarshal(v, &s) == nil {
			v = json.RawMessage(s)
		}
		if err := json.Unmarshal(v, lp); err != nil {
			return nil, badRequest("can't parse link preview options JSON object")
		}
	}
	silent, err := p.boolean("disable_notification")
	if err != nil {
		return nil, err
	}
	s.nextID++
	m := &Message{ChatID: s.ChannelID, MessageID: s.nextID, Text: text, RawText: raw, ParseMode: mode,
		LinkPreview: lp, ChatIDJSON: chatParam, DisableNotification: silent, Date: s.now()}
	s.messages = append(s.messages, m)
	return s.messageJSON(m), nil
}

func (s *Server) deleteMessage(p params) (any, *apiError) {
	if _, err := s.chat(p); err != nil {
		return nil, err
	}
	id, err := p.integer("message_id")
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, badRequest("message identifier is not specified")
	}
	if err := s.canSend(); err != nil {
		return nil, err
	}
	for _, m := range s.messages {
		if m.MessageID != id || m.Deleted {
			continue
		}
		if s.now().Sub(m.Date) >= DeleteWindow {
			return nil, badRequest("message can't be deleted")
		}
		m.Deleted = true
		return true, nil
	}
	return nil, badRequest("message to delete not found")
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	fake.WriteJSON(w, code, "application/json", v)
}

// writeError answers the API's error envelope.
func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]int{"retry_after": e.retryAfter}
	}
	writeJSON(w, e.code, body)
}
