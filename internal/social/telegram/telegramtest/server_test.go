package telegramtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/social/telegram/telegramtest"
)

// result is the Bot API's envelope, as a client reads it.
type result struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func call(t *testing.T, s *telegramtest.Server, method, contentType, body string) (int, result) {
	t.Helper()
	return callToken(t, s, s.Token, method, contentType, body)
}

func callToken(t *testing.T, s *telegramtest.Server, token, method, contentType, body string) (int, result) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/bot"+token+"/"+method, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var r result
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("answer %d is not the API's envelope: %v\n%s", resp.StatusCode, err, raw)
	}
	if r.OK == (r.ErrorCode != 0) || (!r.OK && r.ErrorCode != resp.StatusCode) {
		t.Errorf("envelope %s does not match HTTP %d", raw, resp.StatusCode)
	}
	return resp.StatusCode, r
}

func TestSendMessage(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name        string
		contentType string
		body        string
		wantCode    int
		wantDesc    string
		wantText    string // as readers see it
	}{
		{
			name: "OKJSON", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"Bonjour <b> & co","link_preview_options":{"url":"https://a.example/","prefer_large_media":true}}`,
			wantCode: http.StatusOK, wantText: "Bonjour <b> & co",
		},
		{
			name: "OKNumericChatID", contentType: "application/json",
			body:     `{"chat_id":-1001234567890,"text":"Bonjour"}`,
			wantCode: http.StatusOK, wantText: "Bonjour",
		},
		{
			name: "OKUsernameAnyCase", contentType: "application/json",
			body:     `{"chat_id":"@LaGazette_Info","text":"Bonjour"}`,
			wantCode: http.StatusOK, wantText: "Bonjour",
		},
		{
			name: "OKForm", contentType: form,
			body: url.Values{"chat_id": {"-1001234567890"}, "text": {"Bonjour"},
				"link_preview_options": {`{"url":"https://a.example/","prefer_large_media":true}`}}.Encode(),
			wantCode: http.StatusOK, wantText: "Bonjour",
		},
		{
			name: "OKHTML", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"<b>Municipales</b> : R&amp;D &lt;3 &#233;t&#xE9; <a href=\"https://a.example/\">lire</a>","parse_mode":"HTML"}`,
			wantCode: http.StatusOK, wantText: "Municipales : R&D <3 été lire",
		},
		{
			name: "OKHTMLLengthAfterParsing", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"<b>` + strings.Repeat("&amp;", 4096) + `</b>","parse_mode":"HTML"}`,
			wantCode: http.StatusOK, wantText: strings.Repeat("&", 4096),
		},
		{
			name: "ErrHTMLUnsupportedTag", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"<div>x</div>","parse_mode":"HTML"}`,
			wantCode: http.StatusBadRequest, wantDesc: `Bad Request: can't parse entities: unsupported start tag "div" at byte offset 0`,
		},
		{
			name: "ErrHTMLBareLessThan", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"2 <3","parse_mode":"HTML"}`,
			wantCode: http.StatusBadRequest, wantDesc: `Bad Request: can't parse entities: unsupported start tag at byte offset 2`,
		},
		{
			name: "ErrHTMLUnclosed", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"<b>gras","parse_mode":"HTML"}`,
			wantCode: http.StatusBadRequest, wantDesc: `Bad Request: can't parse entities: can't find end tag corresponding to start tag "b"`,
		},
		{
			name: "ErrHTMLMisnested", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"<b><i>x</b></i>","parse_mode":"HTML"}`,
			wantCode: http.StatusBadRequest, wantDesc: `Bad Request: can't parse entities: unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
		},
		{
			name: "ErrTooLong", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"` + strings.Repeat("😀", 2048) + `!"}`,
			wantCode: http.StatusBadRequest, wantDesc: "Bad Request: message is too long",
		},
		{
			name: "ErrEmpty", contentType: "application/json", body: `{"chat_id":"@lagazette_info","text":"  "}`,
			wantCode: http.StatusBadRequest, wantDesc: "Bad Request: message text is empty",
		},
		{
			name: "ErrNoChat", contentType: "application/json", body: `{"text":"Bonjour"}`,
			wantCode: http.StatusBadRequest, wantDesc: "Bad Request: chat_id is empty",
		},
		{
			name: "ErrUnknownChat", contentType: "application/json", body: `{"chat_id":"@autre","text":"Bonjour"}`,
			wantCode: http.StatusBadRequest, wantDesc: "Bad Request: chat not found",
		},
		{
			name: "ErrTextType", contentType: "application/json", body: `{"chat_id":"@lagazette_info","text":{"a":1}}`,
			wantCode: http.StatusBadRequest, wantDesc: `Bad Request: field "text" must be of type String`,
		},
		{
			name: "ErrLinkPreviewType", contentType: "application/json",
			body:     `{"chat_id":"@lagazette_info","text":"a","link_preview_options":{"url":42}}`,
			wantCode: http.StatusBadRequest, wantDesc: "Bad Request: can't parse link preview options JSON object",
		},
		{
			name: "ErrBadJSON", contentType: "application/json", body: `{"chat_id":`,
			wantCode: http.StatusBadRequest, wantDesc: "Bad Request: can't parse JSON object",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := telegramtest.NewServer(t)
			code, r := call(t, s, "sendMessage", tt.contentType, tt.body)
			if code != tt.wantCode || r.Description != tt.wantDesc {
				t.Fatalf("answer %d %q, want %d %q", code, r.Description, tt.wantCode, tt.wantDesc)
			}
			msgs := s.Messages()
			if tt.wantDesc != "" {
				if len(msgs) != 0 {
					t.Errorf("%d messages, want none", len(msgs))
				}
				return
			}
			var m struct {
				MessageID int64  `json:"message_id"`
				Text      string `json:"text"`
				Chat      struct {
					ID       int64  `json:"id"`
					Username string `json:"username"`
					Type     string `json:"type"`
				} `json:"chat"`
				Date int64 `json:"date"`
			}
			if err := json.Unmarshal(r.Result, &m); err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 || msgs[0].Text != tt.wantText || m.Text != tt.wantText || m.MessageID != msgs[0].MessageID {
				t.Errorf("messages %+v, answer %+v, want text %q", msgs, m, tt.wantText)
			}
			if m.Chat.ID != s.ChannelID || m.Chat.Username != "lagazette_info" || m.Chat.Type != "channel" || m.Date == 0 {
				t.Errorf("answer's chat and date = %+v", m)
			}
		})
	}
}

func TestMessageEntities(t *testing.T) {
	s := telegramtest.NewServer(t)
	// "🗳️ " is 4 UTF-16 units: the link starts at 4, not at its byte offset 7.
	_, r := call(t, s, "sendMessage", "application/json", `{"chat_id":"@lagazette_info","text":"🗳️ https://a.example/x."}`)
	var m struct {
		Entities []struct {
			Offset, Length int
			Type           string
		} `json:"entities"`
	}
	if err := json.Unmarshal(r.Result, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Entities) != 1 || m.Entities[0].Offset != 4 || m.Entities[0].Length != len("https://a.example/x") || m.Entities[0].Type != "url" {
		t.Errorf("entities = %+v, want one url at 4, length 19", m.Entities)
	}
}

func TestAuthAndRouting(t *testing.T) {
	s := telegramtest.NewServer(t)
	tests := []struct {
		name     string
		token    string
		method   string
		wantCode int
		wantDesc string
	}{
		{"OKMethodAnyCase", s.Token, "GETME", http.StatusOK, ""},
		{"ErrWrongToken", "1:AAA", "getMe", http.StatusUnauthorized, "Unauthorized"},
		{"ErrNoToken", "", "getMe", http.StatusNotFound, "Not Found"},
		{"ErrUnknownMethod", s.Token, "sendTelepathy", http.StatusNotFound, "Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, r := callToken(t, s, tt.token, tt.method, "application/json", `{}`)
			if code != tt.wantCode || r.Description != tt.wantDesc {
				t.Errorf("answer %d %q, want %d %q", code, r.Description, tt.wantCode, tt.wantDesc)
			}
		})
	}
}

func TestGetChatMember(t *testing.T) {
	tests := []struct {
		name       string
		status     string
		canPost    bool
		wantFields map[string]any
	}{
		{"OKAdministrator", "administrator", true, map[string]any{"status": "administrator", "can_post_messages": true}},
		{"OKAdministratorCannotPost", "administrator", false, map[string]any{"status": "administrator", "can_post_messages": false}},
		{"OKLeft", "left", false, map[string]any{"status": "left"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := telegramtest.NewServer(t)
			s.SetBotMember(tt.status, tt.canPost)
			_, r := call(t, s, "getChatMember", "application/json", `{"chat_id":"@lagazette_info","user_id":123456789}`)
			var got map[string]any
			if err := json.Unmarshal(r.Result, &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.wantFields {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
			if _, ok := got["can_post_messages"]; ok != (tt.status == "administrator") {
				t.Errorf("can_post_messages present = %v for a %s", ok, tt.status)
			}
		})
	}
}

func TestDeleteMessage(t *testing.T) {
	s := telegramtest.NewServer(t)
	_, r := call(t, s, "sendMessage", "application/json", `{"chat_id":"@lagazette_info","text":"a"}`)
	var m struct {
		MessageID int64 `json:"message_id"`
	}
	if err := json.Unmarshal(r.Result, &m); err != nil {
		t.Fatal(err)
	}
	body := `{"chat_id":"@lagazette_info","message_id":` + jsonInt(m.MessageID) + `}`
	s.Advance(telegramtest.DeleteWindow - time.Minute)
	if code, r := call(t, s, "deleteMessage", "application/json", body); code != http.StatusOK || string(r.Result) != "true" {
		t.Errorf("delete within 48 h: %d %s", code, r.Result)
	}
	if _, r := call(t, s, "deleteMessage", "application/json", body); r.Description != "Bad Request: message to delete not found" {
		t.Errorf("second delete: %q", r.Description)
	}
	_, r = call(t, s, "sendMessage", "application/json", `{"chat_id":"@lagazette_info","text":"b"}`)
	if err := json.Unmarshal(r.Result, &m); err != nil {
		t.Fatal(err)
	}
	s.Advance(telegramtest.DeleteWindow)
	body = `{"chat_id":"@lagazette_info","message_id":` + jsonInt(m.MessageID) + `}`
	if _, r := call(t, s, "deleteMessage", "application/json", body); r.Description != "Bad Request: message can't be deleted" {
		t.Errorf("delete after 48 h: %q", r.Description)
	}
}

func TestFailures(t *testing.T) {
	s := telegramtest.NewServer(t)
	s.FailNext(1, telegramtest.RateLimited)
	code, r := call(t, s, "getMe", "application/json", `{}`)
	if code != http.StatusTooManyRequests || r.Parameters.RetryAfter != 5 || r.Description != "Too Many Requests: retry after 5" {
		t.Errorf("rate limited answer: %d %+v", code, r)
	}
	if code, _ := call(t, s, "getMe", "application/json", `{}`); code != http.StatusOK {
		t.Errorf("next request answered %d, want 200", code)
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
