package blueskytest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// The collection the fake stores.
const postCollection = "app.bsky.feed.post"

// tidPattern is the TID syntax (atproto.com/specs/tid).
var tidPattern = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

// ValidTID reports whether s is a TID, the key app.bsky.feed.post records take.
func ValidTID(s string) bool { return tidPattern.MatchString(s) }

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// newTID returns a TID of the current time, as the PDS makes one for a
// record created without rkey; s.mu is held.
func (s *Server) newTID() string {
	s.seq++
	v := uint64(time.Now().UnixMicro())<<10 | uint64(s.seq&0x3ff) //nolint:gosec // the clock is after 1970
	b := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b)
}

// cidOf returns the CIDv1 (sha2-256, base32) of data with codec: 0x55 raw
// for blobs ("bafkrei…"), 0x71 dag-cbor for records ("bafyrei…").
func cidOf(codec byte, data []byte) string {
	sum := sha256.Sum256(data)
	b := append([]byte{0x01, codec, 0x12, 0x20}, sum[:]...)
	return "b" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// ours reports whether repo names the fake's account (by DID or handle).
func ours(repo string) bool { return repo == DID || strings.ToLower(repo) == Handle }

func atURI(rkey string) string { return "at://" + DID + "/" + postCollection + "/" + rkey }

// uploadBlob stores raw bytes and answers the blob object to embed.
func (s *Server) uploadBlob(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r, accessToken) {
		return
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt == "application/json" || strings.HasPrefix(mt, "multipart/") {
		// The body is the file itself, never JSON or a form.
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Wrong request encoding (Content-Type): "+ct)
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxUploadBytes+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "could not read body")
		return
	}
	if len(data) > MaxUploadBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "PayloadTooLarge", "request entity too large")
		return
	}
	if len(data) == 0 {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Request encoding (Content-Type) required but not provided")
		return
	}
	// The PDS sniffs the content and keeps what it finds.
	if sniffed := http.DetectContentType(data); strings.HasPrefix(sniffed, "image/") {
		mt = sniffed
	}
	b := Blob{CID: cidOf(0x55, data), MimeType: mt, Size: len(data)}
	b.JSON, _ = json.Marshal(map[string]any{
		"$type": "blob", "ref": map[string]string{"$link": b.CID}, "mimeType": b.MimeType, "size": b.Size,
	})
	s.mu.Lock()
	s.blobs[b.CID] = b
	s.uploads = append(s.uploads, b)
	s.mu.Unlock()
	writeJSON(w, map[string]json.RawMessage{"blob": b.JSON})
}

// createRecord validates a post against the lexicon and stores it under
// its rkey, refusing a key already taken.
func (s *Server) createRecord(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r, accessToken) {
		return
	}
	var in struct {
		Repo       *string         `json:"repo"`
		Collection *string         `json:"collection"`
		Rkey       *string         `json:"rkey"`
		Validate   *bool           `json:"validate"`
		Record     json.RawMessage `json:"record"`
		SwapCommit *string         `json:"swapCommit"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	switch {
	case in.Repo == nil || in.Collection == nil || in.Record == nil:
		writeError(w, http.StatusBadRequest, "InvalidRequest", `Input must have the properties "repo", "collection" and "record"`)
		return
	case !ours(*in.Repo):
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+*in.Repo)
		return
	case *in.Collection != postCollection:
		writeError(w, http.StatusBadRequest, "InvalidRequest", "the fake PDS stores "+postCollection+" only, not "+*in.Collection)
		return
	case in.Validate != nil && !*in.Validate:
		writeError(w, http.StatusBadRequest, "InvalidRequest", "the fake PDS validates every record")
		return
	case in.Rkey != nil && !ValidTID(*in.Rkey):
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Invalid record key: "+*in.Rkey+" is not a TID")
		return
	}
	s.mu.Lock()
	blobs := make(map[string]Blob, len(s.blobs))
	for k, v := range s.blobs {
		blobs[k] = v
	}
	s.mu.Unlock()
	p, msg := checkPost(in.Record, blobs)
	if msg != "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: "+msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.Rkey != nil {
		p.Rkey = *in.Rkey
	} else {
		p.Rkey = s.newTID()
	}
	if _, taken := s.records[p.Rkey]; taken {
		// The repository's tree refuses a key it holds ("There is already
		// a value at key"), a plain error the PDS answers as a 500.
		writeError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
		return
	}
	p.URI = atURI(p.Rkey)
	p.CID = cidOf(0x71, in.Record)
	s.records[p.Rkey] = p
	s.order = append(s.order, p.Rkey)
	writeJSON(w, map[string]any{
		"uri": p.URI, "cid": p.CID,
		"commit":           map[string]string{"cid": cidOf(0x71, []byte(p.URI+"commit")), "rev": s.newTID()},
		"validationStatus": "valid",
	})
}

// getRecord answers a record by its key; it needs no authentication.
func (s *Server) getRecord(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	repo, collection, rkey := q.Get("repo"), q.Get("collection"), q.Get("rkey")
	if repo == "" || collection == "" || rkey == "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", `Params must have the properties "repo", "collection" and "rkey"`)
		return
	}
	if !ours(repo) {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+repo)
		return
	}
	s.mu.Lock()
	p, ok := s.records[rkey]
	s.mu.Unlock()
	if !ok || collection != postCollection {
		writeError(w, http.StatusBadRequest, "RecordNotFound",
			"Could not locate record: at://"+DID+"/"+collection+"/"+rkey)
		return
	}
	writeJSON(w, map[string]any{"uri": p.URI, "cid": p.CID, "value": p.Raw})
}

// deleteRecord removes a record; deleting one that is not there is a no-op.
func (s *Server) deleteRecord(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r, accessToken) {
		return
	}
	var in struct {
		Repo       *string `json:"repo"`
		Collection *string `json:"collection"`
		Rkey       *string `json:"rkey"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Repo == nil || in.Collection == nil || in.Rkey == nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", `Input must have the properties "repo", "collection" and "rkey"`)
		return
	}
	if !ours(*in.Repo) {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Could not find repo: "+*in.Repo)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.records[*in.Rkey]; !ok || *in.Collection != postCollection {
		writeJSON(w, map[string]any{})
		return
	}
	delete(s.records, *in.Rkey)
	writeJSON(w, map[string]any{
		"commit": map[string]string{"cid": cidOf(0x71, []byte(*in.Rkey+"delete")), "rev": s.newTID()},
	})
}

// decodeStrict decodes JSON keeping numbers as json.Number, so that the
// checks can tell an integer from a float.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}
