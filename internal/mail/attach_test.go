package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
)

func TestSMTPAttachment(t *testing.T) {
	ts := newTestServer(t, serverOptions{})
	s, err := NewSMTP(testConfig(ts))
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n% a receipt\x00\xff binary bytes\n%%EOF\n")
	m := resetMessage()
	m.Attachments = []Attachment{{Name: "reçu-2026-000042.pdf", ContentType: "application/pdf", Data: pdf}}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := ts.Accepted()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || media != "multipart/mixed" {
		t.Fatalf("Content-Type %q (%v)", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var found bool
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "application/pdf") {
			continue
		}
		found = true
		raw, _ := io.ReadAll(p)
		data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
		if err != nil || !bytes.Equal(data, pdf) {
			t.Errorf("attachment bytes differ (%v)", err)
		}
		// go-mail writes a non-ASCII name as an RFC 2047 word, which mail
		// clients decode.
		if name, _ := new(mime.WordDecoder).DecodeHeader(p.FileName()); name != "reçu-2026-000042.pdf" {
			t.Errorf("file name %q", name)
		}
	}
	if !found {
		t.Error("no PDF part")
	}
}

func TestAttachmentValidation(t *testing.T) {
	cases := []struct {
		name string
		a    Attachment
	}{
		{"ErrNoName", Attachment{ContentType: "application/pdf", Data: []byte("x")}},
		{"ErrPath", Attachment{Name: "../etc/passwd", ContentType: "text/plain", Data: []byte("x")}},
		{"ErrNoType", Attachment{Name: "a.pdf", Data: []byte("x")}},
		{"ErrEmpty", Attachment{Name: "a.pdf", ContentType: "application/pdf"}},
		{"ErrInjection", Attachment{Name: "a.pdf\r\nBcc: x@example.org", ContentType: "application/pdf", Data: []byte("x")}},
		{"ErrTooBig", Attachment{Name: "a.pdf", ContentType: "application/pdf", Data: make([]byte, MaxAttachments+1)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := resetMessage()
			m.Attachments = []Attachment{c.a}
			if err := m.Validate(); err == nil {
				t.Error("accepted")
			}
		})
	}
}
