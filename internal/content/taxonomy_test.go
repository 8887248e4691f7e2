package content_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/content"
)

func TestCategoryTree(t *testing.T) {
	cat := func(id, parent int64) content.Category {
		return content.Category{ID: id, Name: fmt.Sprint(id), ParentID: parent}
	}
	for _, tt := range []struct {
		name string
		in   []content.Category
		// want lists "id/depth" in tree order.
		want []string
	}{
		{name: "OK/Empty", in: nil, want: []string{}},
		{name: "OK/Flat", in: []content.Category{cat(2, 0), cat(1, 0)}, want: []string{"2/0", "1/0"}},
		{
			name: "OK/Nested",
			// Children listed before their parent still come after it.
			in:   []content.Category{cat(3, 2), cat(1, 0), cat(2, 1), cat(4, 0), cat(5, 1)},
			want: []string{"1/0", "2/1", "3/2", "5/1", "4/0"},
		},
		{name: "OK/MissingParent", in: []content.Category{cat(1, 0), cat(2, 99)}, want: []string{"1/0", "2/0"}},
		{name: "OK/OwnParent", in: []content.Category{cat(1, 1)}, want: []string{"1/0"}},
		{
			name: "OK/Loop",
			// 2 and 3 are each other's parent: both still appear once.
			in:   []content.Category{cat(1, 0), cat(2, 3), cat(3, 2)},
			want: []string{"1/0", "2/0", "3/1"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := []string{}
			for _, n := range content.CategoryTree(tt.in) {
				got = append(got, fmt.Sprintf("%d/%d", n.ID, n.Depth))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CategoryTree (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTagPage(t *testing.T) {
	for _, tt := range []struct {
		name             string
		p                content.TagPage
		pages            int
		hasPrev, hasNext bool
	}{
		{"OK/Empty", content.TagPage{Number: 1, Size: 50}, 1, false, false},
		{"OK/First", content.TagPage{Total: 101, Number: 1, Size: 50}, 3, false, true},
		{"OK/Last", content.TagPage{Total: 101, Number: 3, Size: 50}, 3, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Pages(); got != tt.pages {
				t.Errorf("Pages() = %d, want %d", got, tt.pages)
			}
			if got := tt.p.HasPrev(); got != tt.hasPrev {
				t.Errorf("HasPrev() = %v, want %v", got, tt.hasPrev)
			}
			if got := tt.p.HasNext(); got != tt.hasNext {
				t.Errorf("HasNext() = %v, want %v", got, tt.hasNext)
			}
		})
	}
}
