package wxr_test

import (
	"bytes"
	"testing"

	"github.com/kiosque/kiosque/internal/wxr"
	"github.com/kiosque/kiosque/internal/wxr/wxrtest"
)

// TestGeneratedExport reads the benchmark's synthetic export: every item
// and comment is read, with the variety the generator promises, and the
// same seed gives the same bytes.
func TestGeneratedExport(t *testing.T) {
	o := wxrtest.Options{Posts: 300, Pages: 10, Attachments: 20, Comments: 3000, Seed: 7}
	gen := func(o wxrtest.Options) []byte {
		var buf bytes.Buffer
		if err := wxrtest.Generate(&buf, o); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	data := gen(o)
	if !bytes.Equal(data, gen(o)) {
		t.Error("the same seed gave different exports")
	}
	o2 := o
	o2.Seed = 8
	if bytes.Equal(data, gen(o2)) {
		t.Error("another seed gave the same export")
	}
	res := read(t, bytes.NewReader(data))
	if res.fatal != nil || len(res.skipped) != 0 {
		t.Fatalf("error %v, skipped %v", res.fatal, res.skipped)
	}
	r := res.reader
	if r.Site.Version != "1.2" || len(r.Authors) != 12 || len(r.Terms) != 331 || len(r.Skipped) != 0 || len(r.Warnings) != 0 {
		t.Errorf("site %+v, %d authors, %d terms, skipped %v, warnings %q", r.Site, len(r.Authors), len(r.Terms), r.Skipped, r.Warnings)
	}
	types := map[string]int{}
	statuses := map[string]int{}
	approved := map[string]int{}
	kinds := map[string]int{}
	var comments, replies, sticky, drafts int
	for _, it := range res.items {
		types[it.Type]++
		statuses[it.Status]++
		if it.Sticky {
			sticky++
		}
		if it.Status == wxr.StatusDraft && it.DateGMT.IsZero() && !it.Date.IsZero() {
			drafts++
		}
		if it.Type == wxr.TypeAttachment && (it.AttachmentURL == "" || len(it.Meta) != 3) {
			t.Errorf("attachment %d: %q, %d meta", it.PostID, it.AttachmentURL, len(it.Meta))
		}
		if it.Type == wxr.TypePost && (it.Content == "" || len(it.Categories) == 0 || it.Creator == "") {
			t.Errorf("post %d incomplete: %+v", it.PostID, it)
		}
		ids := map[int64]bool{}
		for _, c := range it.Comments {
			comments++
			approved[c.Approved]++
			kinds[c.Type]++
			if c.Parent != 0 {
				replies++
				if !ids[c.Parent] {
					t.Errorf("comment %d answers %d, not an earlier comment of post %d", c.ID, c.Parent, it.PostID)
				}
			}
			ids[c.ID] = true
		}
	}
	if types[wxr.TypePost] != 300 || types[wxr.TypePage] != 10 || types[wxr.TypeAttachment] != 20 || comments != 3000 {
		t.Errorf("types %v, %d comments", types, comments)
	}
	if sticky == 0 || drafts != statuses[wxr.StatusDraft] || drafts == 0 || statuses[wxr.StatusFuture] == 0 || statuses[wxr.StatusPrivate] == 0 {
		t.Errorf("statuses %v, %d sticky, %d drafts without GMT date", statuses, sticky, drafts)
	}
	if replies < comments/5 || approved[wxr.CommentSpam] == 0 || approved[wxr.CommentPending] == 0 || kinds[wxr.CommentPingback] == 0 || kinds[wxr.CommentTrackback] == 0 {
		t.Errorf("%d replies, approval %v, types %v", replies, approved, kinds)
	}
}
