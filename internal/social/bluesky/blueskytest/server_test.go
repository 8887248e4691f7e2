package blueskytest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// call makes one XRPC call and returns the status and decoded body.
func call(t *testing.T, s *Server, method, nsid, token, contentType string, body []byte) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+"/xrpc/"+nsid, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s answered %d with no JSON: %q", nsid, resp.StatusCode, data)
	}
	return resp.StatusCode, out, resp.Header
}

func login(t *testing.T, s *Server) (access, refresh string) {
	t.Helper()
	status, out, _ := call(t, s, "POST", "com.atproto.server.createSession", "", "application/json",
		[]byte(`{"identifier":"`+Handle+`","password":"`+AppPassword+`"}`))
	if status != 200 {
		t.Fatalf("createSession: %d %v", status, out)
	}
	return out["accessJwt"].(string), out["refreshJwt"].(string)
}

func upload(t *testing.T, s *Server, token string, data []byte) json.RawMessage {
	t.Helper()
	status, out, _ := call(t, s, "POST", "com.atproto.repo.uploadBlob", token, "image/png", data)
	if status != 200 {
		t.Fatalf("uploadBlob: %d %v", status, out)
	}
	b, _ := json.Marshal(out["blob"])
	return b
}

// png returns n bytes starting with PNG's signature.
func png(n int) []byte {
	b := make([]byte, n)
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

func TestCreateRecord(t *testing.T) {
	s := NewServer(t)
	access, _ := login(t, s)
	thumb := upload(t, s, access, png(2048))
	big := upload(t, s, access, png(MaxThumbBytes+1))

	text := "Élysée : l’été 🇫🇷🎉 sera chaud https://exemple.fr/a/été?x=1 #Politique"
	link := "https://exemple.fr/a/été?x=1"
	start := strings.Index(text, link)
	tagStart := strings.Index(text, "#Politique")
	runeStart := utf8.RuneCountInString(text[:start])
	utf16Start := len(utf16.Encode([]rune(text[:start])))

	linkFacet := func(s, e int, uri string) string {
		return `{"index":{"byteStart":` + strconv.Itoa(s) + `,"byteEnd":` + strconv.Itoa(e) +
			`},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"` + uri + `"}]}`
	}
	record := func(text, extra string) string {
		return `{"$type":"app.bsky.feed.post","text":` + strconv.Quote(text) + `,"createdAt":"2026-11-28T09:00:00.000Z"` + extra + `}`
	}
	card := func(thumb string) string {
		return `,"embed":{"$type":"app.bsky.embed.external","external":{"uri":"https://exemple.fr/a","title":"T","description":"D"` + thumb + `}}`
	}
	tests := []struct {
		name   string
		record string
		want   string // a piece of the refusal, "" when accepted
	}{
		{"OK", record(text, `,"langs":["fr"],"facets":[`+linkFacet(start, start+len(link), link)+
			`,{"index":{"byteStart":`+strconv.Itoa(tagStart)+`,"byteEnd":`+strconv.Itoa(len(text))+
			`},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"Politique"}]}]`+card(`,"thumb":`+string(thumb))), ""},
		{"ErrRuneOffsets", record(text, `,"facets":[`+linkFacet(runeStart, runeStart+len(link), link)+`]`), "Record/facets/0"},
		{"ErrUTF16Offsets", record(text, `,"facets":[`+linkFacet(utf16Start, utf16Start+utf8.RuneCountInString(link), link)+`]`), "Record/facets/0"},
		{"ErrFacetCutsCharacter", record(text, `,"facets":[`+linkFacet(1, 5, "https://x")+`]`), "cuts a UTF-8 character"},
		{"ErrFacetOutside", record(text, `,"facets":[`+linkFacet(start, len(text)+1, link)+`]`), "outside"},
		{"ErrFacetURIOther", record(text, `,"facets":[`+linkFacet(start, start+len(link), "https://autre.fr/")+`]`), "covers"},
		{"ErrTagWithHash", record(text, `,"facets":[{"index":{"byteStart":`+strconv.Itoa(tagStart)+`,"byteEnd":`+strconv.Itoa(len(text))+
			`},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"#Politique"}]}]`), "without its #"},
		{"ErrNoType", `{"text":"x","createdAt":"2026-11-28T09:00:00.000Z"}`, "$type"},
		{"ErrNoText", `{"$type":"app.bsky.feed.post","createdAt":"2026-11-28T09:00:00.000Z"}`, `"text"`},
		{"ErrNoCreatedAt", `{"$type":"app.bsky.feed.post","text":"x"}`, `"createdAt"`},
		{"ErrCreatedAtNoZone", `{"$type":"app.bsky.feed.post","text":"x","createdAt":"2026-11-28T09:00:00"}`, "datetime"},
		{"OK300Graphemes", record(strings.Repeat("é", 300), ""), ""},
		{"Err301Graphemes", record(strings.Repeat("é", 301), ""), "300 graphemes"},
		{"OKFamilyEmoji", record(strings.Repeat("👨‍👩‍👧", 120), ""), ""},               // 120 graphemes, 2,160 bytes
		{"Err3006Bytes", record(strings.Repeat("👨‍👩‍👧", 167), ""), "3000 characters"}, // 167 graphemes
		{"ErrLangs", record("x", `,"langs":["fr","en","de","it"]`), "langs"},
		{"ErrLangSyntax", record("x", `,"langs":["français"]`), "langs/0"},
		{"ErrCardNoTitle", record("x", `,"embed":{"$type":"app.bsky.embed.external","external":{"uri":"https://e.fr","description":"D"}}`), `"title"`},
		{"ErrCardNoDescription", record("x", `,"embed":{"$type":"app.bsky.embed.external","external":{"uri":"https://e.fr","title":"T"}}`), `"description"`},
		{"ErrCardBadURI", record("x", `,"embed":{"$type":"app.bsky.embed.external","external":{"uri":"exemple.fr","title":"T","description":"D"}}`), "uri must be a uri"},
		{"ErrThumbUnknown", record("x", card(`,"thumb":{"$type":"blob","ref":{"$link":"bafkreiaaaa"},"mimeType":"image/png","size":2048}`)), "Could not find blob"},
		{"ErrThumbSizeLies", record("x", card(`,"thumb":`+strings.Replace(string(thumb), `"size":2048`, `"size":2047`, 1))), "does not match"},
		{"ErrThumbTooBig", record("x", card(`,"thumb":`+string(big))), "too big"},
		{"ErrThumbNotBlob", record("x", card(`,"thumb":"`+s.URL+`/a.png"`)), "blob ref"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rkey := "3l" + strings.Repeat("a", 10) + string(tidAlphabet[i])
			body := `{"repo":"` + DID + `","collection":"app.bsky.feed.post","rkey":"` + rkey + `","record":` + tt.record + `}`
			status, out, _ := call(t, s, "POST", "com.atproto.repo.createRecord", access, "application/json", []byte(body))
			if tt.want == "" {
				if status != 200 {
					t.Fatalf("refused: %d %v", status, out)
				}
				if got, want := out["uri"], "at://"+DID+"/app.bsky.feed.post/"+rkey; got != want {
					t.Errorf("uri = %v, want %v", got, want)
				}
				return
			}
			msg, _ := out["message"].(string)
			if status != 400 || out["error"] != "InvalidRequest" || !strings.Contains(msg, tt.want) {
				t.Errorf("got %d %v, want 400 InvalidRequest with %q", status, out, tt.want)
			}
		})
	}
	if got := len(s.Posts()); got != 3 {
		t.Errorf("%d posts stored, want 3", got)
	}
	p := s.Posts()[0]
	if p.External == nil || p.External.Thumb == "" || len(p.Facets) != 2 || p.Facets[0].ByteStart != start {
		t.Errorf("stored post = %+v", p)
	}
}

func TestRepo(t *testing.T) {
	s := NewServer(t)
	access, _ := login(t, s)
	post := func(rkey string) (int, map[string]any) {
		body := `{"repo":"` + DID + `","collection":"app.bsky.feed.post","rkey":"` + rkey +
			`","record":{"$type":"app.bsky.feed.post","text":"Bonjour","createdAt":"2026-11-28T09:00:00.000Z"}}`
		status, out, _ := call(t, s, "POST", "com.atproto.repo.createRecord", access, "application/json", []byte(body))
		return status, out
	}
	t.Run("ErrDuplicateRkey", func(t *testing.T) {
		if status, out := post("3kaaaaaaaaaa2"); status != 200 {
			t.Fatalf("first: %d %v", status, out)
		}
		if status, out := post("3kaaaaaaaaaa2"); status != 500 || out["error"] != "InternalServerError" {
			t.Errorf("second: %d %v, want 500 InternalServerError", status, out)
		}
		if n := len(s.Posts()); n != 1 {
			t.Errorf("%d posts, want 1", n)
		}
	})
	t.Run("ErrRkeyNotTID", func(t *testing.T) {
		if status, out := post("kiosque-1"); status != 400 {
			t.Errorf("%d %v, want 400", status, out)
		}
	})
	t.Run("GetRecord", func(t *testing.T) {
		status, out, _ := call(t, s, "GET", "com.atproto.repo.getRecord?repo="+DID+"&collection=app.bsky.feed.post&rkey=3kaaaaaaaaaa2", "", "", nil)
		if status != 200 || out["uri"] != "at://"+DID+"/app.bsky.feed.post/3kaaaaaaaaaa2" {
			t.Errorf("%d %v", status, out)
		}
		status, out, _ = call(t, s, "GET", "com.atproto.repo.getRecord?repo="+DID+"&collection=app.bsky.feed.post&rkey=3kaaaaaaaaaa3", "", "", nil)
		if status != 400 || out["error"] != "RecordNotFound" {
			t.Errorf("missing: %d %v", status, out)
		}
	})
	t.Run("DeleteRecord", func(t *testing.T) {
		body := []byte(`{"repo":"` + DID + `","collection":"app.bsky.feed.post","rkey":"3kaaaaaaaaaa2"}`)
		if status, out, _ := call(t, s, "POST", "com.atproto.repo.deleteRecord", access, "application/json", body); status != 200 {
			t.Fatalf("%d %v", status, out)
		}
		if n := len(s.Posts()); n != 0 {
			t.Errorf("%d posts after delete", n)
		}
	})
	t.Run("ErrWrongMethod", func(t *testing.T) {
		if status, _, _ := call(t, s, "GET", "com.atproto.repo.createRecord", access, "", nil); status != 400 {
			t.Errorf("GET createRecord: %d, want 400", status)
		}
	})
	t.Run("ErrFormEncoding", func(t *testing.T) {
		status, _, _ := call(t, s, "POST", "com.atproto.server.createSession", "", "application/x-www-form-urlencoded",
			[]byte("identifier="+Handle+"&password="+AppPassword))
		if status != 400 {
			t.Errorf("form login: %d, want 400", status)
		}
	})
	t.Run("ErrUploadJSON", func(t *testing.T) {
		if status, _, _ := call(t, s, "POST", "com.atproto.repo.uploadBlob", access, "application/json", []byte(`{}`)); status != 400 {
			t.Errorf("JSON upload: %d, want 400", status)
		}
	})
}

func TestAuth(t *testing.T) {
	s := NewServer(t)
	const profile = "app.bsky.actor.getProfile?actor=" + DID
	t.Run("ErrBadPassword", func(t *testing.T) {
		status, out, _ := call(t, s, "POST", "com.atproto.server.createSession", "", "application/json",
			[]byte(`{"identifier":"`+Handle+`","password":"wrong"}`))
		if status != 401 || out["error"] != "AuthenticationRequired" || out["message"] != "Invalid identifier or password" {
			t.Errorf("%d %v", status, out)
		}
	})
	access, refresh := login(t, s)
	t.Run("ErrAuthMissing", func(t *testing.T) {
		if status, out, _ := call(t, s, "GET", profile, "", "", nil); status != 401 || out["error"] != "AuthMissing" {
			t.Errorf("%d %v", status, out)
		}
	})
	t.Run("ErrRefreshAsAccess", func(t *testing.T) {
		if status, out, _ := call(t, s, "GET", profile, refresh, "", nil); status != 400 || out["error"] != "InvalidToken" {
			t.Errorf("%d %v", status, out)
		}
	})
	t.Run("ExpiredThenRefreshed", func(t *testing.T) {
		s.ExpireAccessTokens()
		if status, out, _ := call(t, s, "GET", profile, access, "", nil); status != 400 || out["error"] != "ExpiredToken" {
			t.Fatalf("%d %v", status, out)
		}
		status, out, _ := call(t, s, "POST", "com.atproto.server.refreshSession", refresh, "", nil)
		if status != 200 {
			t.Fatalf("refresh: %d %v", status, out)
		}
		if status, out, _ := call(t, s, "GET", profile, out["accessJwt"].(string), "", nil); status != 200 || out["displayName"] != DisplayName {
			t.Errorf("profile: %d %v", status, out)
		}
		if status, out, _ := call(t, s, "POST", "com.atproto.server.refreshSession", refresh, "", nil); status != 400 {
			t.Errorf("refresh token used twice: %d %v", status, out)
		}
	})
	t.Run("ErrLoginRateLimited", func(t *testing.T) {
		for range SessionsPerWindow {
			call(t, s, "POST", "com.atproto.server.createSession", "", "application/json", []byte(`{"identifier":"x","password":"y"}`))
		}
		status, out, h := call(t, s, "POST", "com.atproto.server.createSession", "", "application/json",
			[]byte(`{"identifier":"`+Handle+`","password":"`+AppPassword+`"}`))
		if status != 429 || out["error"] != "RateLimitExceeded" || h.Get("RateLimit-Policy") != "30;w=300" || h.Get("RateLimit-Remaining") != "0" {
			t.Errorf("%d %v %v", status, out, h)
		}
	})
}

func TestFailNext(t *testing.T) {
	s := NewServer(t)
	s.FailNext("app.bsky.actor.getProfile", 1, RateLimited)
	status, out, h := call(t, s, "GET", "app.bsky.actor.getProfile?actor="+DID, "", "", nil)
	reset, _ := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64)
	if status != 429 || out["error"] != "RateLimitExceeded" || time.Until(time.Unix(reset, 0)) < 20*time.Second {
		t.Errorf("%d %v %v", status, out, h)
	}
	if status, out, _ := call(t, s, "GET", "app.bsky.actor.getProfile?actor="+DID, "", "", nil); status != 401 {
		t.Errorf("after the failure: %d %v, want the usual 401", status, out)
	}
	if got := s.Calls("app.bsky.actor.getProfile"); got != 2 {
		t.Errorf("Calls = %d, want 2", got)
	}
}
