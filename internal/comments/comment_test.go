package comments

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/settings"
)

// shape prints a thread as "number@depth" in display order, with replies
// in brackets, so a test reads the whole tree at a glance.
func shape(thread []*Comment) string {
	var parts []string
	for _, c := range thread {
		s := fmt.Sprintf("%d@%d", c.Number, c.Depth)
		if len(c.Replies) > 0 {
			s += "[" + shape(c.Replies) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestThread(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2016, 12, 11, 18, min, 0, 0, time.UTC) }
	// c builds comment id, answering parent, written at minute id unless
	// minute is given.
	c := func(id, parent int64, minute ...int) *Comment {
		m := int(id)
		if len(minute) > 0 {
			m = minute[0]
		}
		return &Comment{ID: id, ParentID: parent, CreatedAt: at(m)}
	}
	tests := []struct {
		name     string
		list     []*Comment
		maxDepth int
		want     string
	}{
		{"OKFlat", []*Comment{c(1, 0), c(2, 0), c(3, 0)}, 3, "1@0 2@0 3@0"},
		{"OKNumbersByDateNotDisplay", []*Comment{c(1, 0), c(2, 0), c(3, 1)}, 3, "1@0[3@1] 2@0"},
		{"OKDeep", []*Comment{c(1, 0), c(2, 1), c(3, 2)}, 3, "1@0[2@1[3@2]]"},
		// A reply to a comment at the last level hangs beside it.
		{"OKBeyondMaxDepth", []*Comment{c(1, 0), c(2, 1), c(3, 2), c(4, 3), c(5, 4)}, 3, "1@0[2@1[3@2 4@2 5@2]]"},
		{"OKDepthOne", []*Comment{c(1, 0), c(2, 1), c(3, 2)}, 1, "1@0 2@0 3@0"},
		{"OKDepthTwo", []*Comment{c(1, 0), c(2, 1), c(3, 2)}, 2, "1@0[2@1 3@1]"},
		// The parent is pending or removed: the reply is not lost.
		{"OKOrphan", []*Comment{c(1, 0), c(3, 2)}, 3, "1@0 2@0"},
		{"OKUnsortedInput", []*Comment{c(3, 1), c(1, 0), c(2, 0)}, 3, "1@0[3@1] 2@0"},
		{"OKSameTimeByID", []*Comment{c(2, 0, 5), c(1, 0, 5)}, 3, "1@0 2@0"},
		// A parent newer than its reply (a bad import) or itself.
		{"OKParentNewer", []*Comment{c(1, 2), c(2, 0)}, 3, "1@0 2@0"},
		{"OKOwnParent", []*Comment{c(1, 1)}, 3, "1@0"},
		{"OKEmpty", nil, 3, ""},
		{"OKZeroDepthMeansFlat", []*Comment{c(1, 0), c(2, 1)}, 0, "1@0 2@0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shape(Thread(tt.list, tt.maxDepth)); got != tt.want {
				t.Errorf("Thread = %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("OKWalkInDisplayOrder", func(t *testing.T) {
		var got []int64
		Walk(Thread([]*Comment{c(1, 0), c(2, 0), c(3, 1), c(4, 3)}, 3), func(c *Comment) { got = append(got, c.ID) })
		if fmt.Sprint(got) != "[1 3 4 2]" {
			t.Errorf("Walk order = %v", got)
		}
	})
}

// TestDecide is the policy matrix: every moderation mode against every
// verdict, for a newcomer, a known commenter and the newsroom.
func TestDecide(t *testing.T) {
	type who int
	const (
		newcomer who = iota
		known
		staff
	)
	tests := []struct {
		mode settings.Moderation
		v    Verdict
		who  who
		want Status
	}{
		{settings.ModerateNone, Clean, newcomer, StatusApproved},
		{settings.ModerateNone, Clean, known, StatusApproved},
		{settings.ModerateNone, Suspect, known, StatusPending},
		{settings.ModerateNone, Spam, known, StatusSpam},
		{settings.ModerateFirstTime, Clean, newcomer, StatusPending},
		{settings.ModerateFirstTime, Clean, known, StatusApproved},
		{settings.ModerateFirstTime, Suspect, known, StatusPending},
		{settings.ModerateFirstTime, Spam, newcomer, StatusSpam},
		{settings.ModerateAll, Clean, known, StatusPending},
		{settings.ModerateAll, Clean, newcomer, StatusPending},
		{settings.ModerateAll, Spam, known, StatusSpam},
		{settings.ModerateAll, Clean, staff, StatusApproved},
		{settings.ModerateFirstTime, Suspect, staff, StatusApproved},
		{settings.ModerateNone, Spam, staff, StatusApproved},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s/%d/%d", tt.mode, tt.v, tt.who)
		t.Run(name, func(t *testing.T) {
			if got := Decide(tt.mode, tt.v, tt.who == known, tt.who == staff); got != tt.want {
				t.Errorf("Decide = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestClosed(t *testing.T) {
	pub := time.Date(2016, 12, 11, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		days int
		open bool
		now  time.Time
		want bool
	}{
		{"OKOpenForever", 0, true, pub.AddDate(5, 0, 0), false},
		{"OKSwitchedOff", 0, false, pub, true},
		{"OKWithinDays", 14, true, pub.AddDate(0, 0, 13), false},
		{"OKLastMoment", 14, true, pub.AddDate(0, 0, 14), false},
		{"OKAfterDays", 14, true, pub.AddDate(0, 0, 14).Add(time.Second), true},
		{"OKSwitchedOffWithinDays", 14, false, pub, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := settings.CommentPolicy{CloseAfterDays: tt.days}
			if got := Closed(p, tt.open, pub, tt.now); got != tt.want {
				t.Errorf("Closed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	for _, s := range Statuses() {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	if Status("deleted").Valid() || Status("").Valid() {
		t.Error("unknown status valid")
	}
}
