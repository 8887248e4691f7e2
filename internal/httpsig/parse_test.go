package httpsig

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSignature(t *testing.T) {
	// A Signature header as Mastodon writes it.
	const mastodon = `keyId="https://remote.domain/users/bob#main-key",algorithm="rsa-sha256",headers="host date digest (request-target)",signature="AQID"`
	tests := []struct {
		name   string
		header []string
		extra  http.Header
		want   *Signature
		err    error
	}{
		{name: "OK_Mastodon", header: []string{mastodon}, want: &Signature{
			KeyID: "https://remote.domain/users/bob#main-key", Algorithm: "rsa-sha256",
			Headers: []string{"host", "date", "digest", "(request-target)"}, Value: []byte{1, 2, 3},
		}},
		{name: "OK_GoToSocial", header: []string{`keyId="https://gts.example/users/a/main-key",algorithm="hs2019",headers="(request-target) host date",signature="AQID"`}, want: &Signature{
			KeyID: "https://gts.example/users/a/main-key", Algorithm: "hs2019",
			Headers: []string{"(request-target)", "host", "date"}, Value: []byte{1, 2, 3},
		}},
		{name: "OK_SpacesAndBuggyPrefix", header: []string{` Signature keyId = "k" ,  algorithm= "rsa-sha256",signature ="AQID" `}, want: &Signature{
			KeyID: "k", Algorithm: "rsa-sha256", Headers: []string{"date"}, Value: []byte{1, 2, 3},
		}},
		{name: "OK_DefaultsHS2019", header: []string{`keyId="k",signature="AQID",created=1402170695`}, want: &Signature{
			KeyID: "k", Algorithm: "hs2019", Headers: []string{"(created)"}, Value: []byte{1, 2, 3}, created: "1402170695",
		}},
		{name: "OK_EscapesAndUnknownParameters", header: []string{`keyId="a\"b\\c",x-extra=1,signature="AQID",headers="Date  HOST"`}, want: &Signature{
			KeyID: `a"b\c`, Algorithm: "hs2019", Headers: []string{"date", "host"}, Value: []byte{1, 2, 3},
		}},
		{name: "OK_UnpaddedBase64", header: []string{`keyId="k",signature="AQIDBA"`}, want: &Signature{
			KeyID: "k", Algorithm: "hs2019", Headers: []string{"(created)"}, Value: []byte{1, 2, 3, 4},
		}},
		{name: "OK_EmptyHeaders", header: []string{`keyId="k",headers="",signature="AQID"`}, want: &Signature{
			KeyID: "k", Algorithm: "hs2019", Headers: []string{}, Value: []byte{1, 2, 3},
		}},
		{name: "ErrNoSignature", err: ErrNoSignature},
		{name: "ErrNoSignature_Blank", header: []string{"  "}, err: ErrNoSignature},
		{name: "ErrUnsupported_RFC9421", header: []string{`sig1=:AQID:`}, extra: http.Header{"Signature-Input": {`sig1=("@method");created=1`}}, err: ErrUnsupported},
		{name: "ErrMalformed_TwoHeaders", header: []string{mastodon, mastodon}, err: ErrMalformed},
		{name: "ErrMalformed_NoKeyID", header: []string{`algorithm="rsa-sha256",signature="AQID"`}, err: ErrMalformed},
		{name: "ErrMalformed_EmptyKeyID", header: []string{`keyId="",signature="AQID"`}, err: ErrMalformed},
		{name: "ErrMalformed_NoSignatureParameter", header: []string{`keyId="k",headers="date"`}, err: ErrMalformed},
		{name: "ErrMalformed_NotBase64", header: []string{`keyId="k",signature="not base64!"`}, err: ErrMalformed},
		{name: "ErrMalformed_Unterminated", header: []string{`keyId="k,signature="AQID`}, err: ErrMalformed},
		{name: "ErrMalformed_TrailingComma", header: []string{`keyId="k",signature="AQID",`}, err: ErrMalformed},
		{name: "ErrMalformed_RepeatedKeyID", header: []string{`keyId="a",keyId="b",signature="AQID"`}, err: ErrMalformed},
		{name: "ErrMalformed_NoEquals", header: []string{`keyId "k",signature="AQID"`}, err: ErrMalformed},
		{name: "ErrMalformed_CaseSensitiveNames", header: []string{`keyid="k",signature="AQID"`}, err: ErrMalformed},
		{name: "ErrMalformed_TooManyHeaders", header: []string{`keyId="k",signature="AQID",headers="` + strings.Repeat("date ", maxSignedHeaders+1) + `"`}, err: ErrMalformed},
		{name: "ErrMalformed_TooLong", header: []string{`keyId="` + strings.Repeat("k", maxSignatureLen) + `",signature="AQID"`}, err: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{Header: http.Header{}}
			for k, v := range tt.extra {
				r.Header[k] = v
			}
			for _, v := range tt.header {
				r.Header.Add("Signature", v)
			}
			got, err := ParseSignature(r)
			if !errors.Is(err, tt.err) {
				t.Fatalf("ParseSignature = %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(Signature{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseSignature checks that ParseSignature never panics, refuses with
// ErrMalformed only, and that what it accepts writes back to a header that
// parses the same.
func FuzzParseSignature(f *testing.F) {
	for _, seed := range []string{
		`keyId="https://remote.domain/users/bob#main-key",algorithm="rsa-sha256",headers="date host (request-target)",signature="AQID"`,
		`keyId="Test",algorithm="rsa-sha256",created=1402170695, expires=1402170699,headers="(request-target) (created) (expires) host date content-type digest content-length",signature="AQID"`,
		`Signature keyId="a\"b",signature="AQIDBA"`,
		`keyId=k,signature=AQID,headers=Date`,
		`keyId="k",signature="AQID",`,
		`,`,
		`"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := &http.Request{Header: http.Header{"Signature": {raw}}}
		s, err := ParseSignature(r)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNoSignature) {
				t.Fatalf("ParseSignature(%q) = %v", raw, err)
			}
			return
		}
		if s.KeyID == "" || s.Algorithm == "" || len(s.Value) == 0 {
			t.Fatalf("ParseSignature(%q) = %+v", raw, s)
		}
		for _, h := range s.Headers {
			if h == "" || strings.ContainsAny(h, " \t") {
				t.Fatalf("ParseSignature(%q): header name %q", raw, h)
			}
		}
		written := s.header()
		if len(written) > maxSignatureLen {
			return
		}
		again, err := parseSignature(written)
		if err != nil {
			t.Fatalf("%q written as %q: %v", raw, written, err)
		}
		if diff := cmp.Diff(s, again, cmp.AllowUnexported(Signature{})); diff != "" {
			t.Fatalf("%q written as %q reads back differently (-first +again):\n%s", raw, written, diff)
		}
	})
}
