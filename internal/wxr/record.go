package wxr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// field is a text field of a record (an item, a comment, an author…).
type field struct {
	ns    ns
	local string
	// trim says whether surrounding white space is dropped: it is for
	// ids, numbers, dates, statuses, slugs and addresses, and not for
	// free text.
	trim bool
}

// name returns the field's name for messages, with WordPress's prefix.
func (f field) name() string {
	switch f.ns {
	case nsWP:
		return "wp:" + f.local
	case nsDC:
		return "dc:" + f.local
	case nsContent:
		return "content:" + f.local
	case nsExcerpt:
		return "excerpt:" + f.local
	}
	return "<" + f.local + ">"
}

type fieldKey struct {
	ns    ns
	local string
}

// schema lists the fields of one kind of record; a record keeps their
// values in the same order.
type schema struct {
	fields []field
	index  map[fieldKey]int
}

func newSchema(fields ...field) *schema {
	if len(fields) > 64 {
		panic("wxr: a schema has at most 64 fields") // record.seen is a uint64
	}
	s := &schema{fields: fields, index: make(map[fieldKey]int, len(fields))}
	for i, f := range fields {
		s.index[fieldKey{f.ns, f.local}] = i
	}
	return s
}

// problems keeps the first reason a record cannot be read, and how many
// more there were.
type problems struct {
	code, reason string
	more         int
}

func (p *problems) fail(code, format string, args ...any) {
	if p.code != "" {
		p.more++
		return
	}
	p.code, p.reason = code, fmt.Sprintf(format, args...)
}

// failed returns whether a problem was recorded.
func (p *problems) failed() bool { return p.code != "" }

// describe returns the first reason, with the count of the others.
func (p *problems) describe() string {
	switch p.more {
	case 0:
		return p.reason
	case 1:
		return p.reason + " (and 1 more problem)"
	}
	return fmt.Sprintf("%s (and %d more problems)", p.reason, p.more)
}

// record gathers the text fields of one element, each read once.
type record struct {
	problems
	s     *schema
	vals  []string
	lines []int
	seen  uint64
}

func newRecord(s *schema) *record {
	return &record{s: s, vals: make([]string, len(s.fields)), lines: make([]int, len(s.fields))}
}

// lookup returns the index of the field named (n, local), if the record
// has one.
func (r *record) lookup(n ns, local string) (int, bool) {
	i, ok := r.s.index[fieldKey{n, local}]
	return i, ok
}

// set records field i's text, read at line. A field given again with
// another value is a problem: which one WordPress meant cannot be told (a
// second wp:post_id under another prefix bound to WordPress's namespace
// would otherwise overwrite another post on import).
func (r *record) set(i, line int, t text) {
	f := r.s.fields[i]
	switch {
	case t.size > limits.field:
		r.fail(CodeTooLarge, "%s (line %d) is %s, over the %s a field may hold", f.name(), line, mb(t.size), mb(limits.field))
		return
	case t.child != "":
		r.fail(CodeMarkup, "%s (line %d) holds an element <%s>: its HTML is neither escaped nor in CDATA", f.name(), line, t.child)
		return
	}
	v := t.s
	if f.trim {
		v = strings.TrimSpace(v)
	}
	bit := uint64(1) << i
	if r.seen&bit != 0 {
		if v != r.vals[i] {
			r.fail(CodeDuplicate, "%s is given twice: %q (line %d) and %q (line %d)", f.name(), clip(r.vals[i], 40), r.lines[i], clip(v, 40), line)
		}
		return
	}
	r.seen |= bit
	r.vals[i], r.lines[i] = v, line
}

// number returns field i as a number, 0 when absent or empty, and
// whether it is one.
func (r *record) number(i int) (int64, bool) {
	v := r.vals[i]
	if v == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.fail(CodeInvalid, "%s %q (line %d) is not a whole number", r.s.fields[i].name(), clip(v, 40), r.lines[i])
		return 0, false
	}
	return n, true
}

// id returns field i as a positive id; an absent or empty one is a
// problem when required, 0 otherwise.
func (r *record) id(i int, required bool) int64 {
	if r.vals[i] == "" {
		if required {
			r.fail(CodeMissing, "no %s", r.s.fields[i].name())
		}
		return 0
	}
	n, ok := r.number(i)
	if ok && (n < 0 || (n == 0 && required)) {
		r.fail(CodeInvalid, "%s %d (line %d) is not a positive number", r.s.fields[i].name(), n, r.lines[i])
	}
	return n
}

// wpDate is how WordPress writes dates (MySQL's DATETIME).
const wpDate = "2006-01-02 15:04:05"

// date returns field i as a date; empty and MySQL's zero date
// "0000-00-00 00:00:00" (how WordPress says "unset") give the zero time.
func (r *record) date(i int) time.Time {
	v := r.vals[i]
	if v == "" || v == "0000-00-00 00:00:00" {
		return time.Time{}
	}
	t, err := time.Parse(wpDate, v)
	if err != nil {
		r.fail(CodeInvalid, "%s %q (line %d) is not a date (YYYY-MM-DD HH:MM:SS)", r.s.fields[i].name(), clip(v, 40), r.lines[i])
	}
	return t
}

// flag returns field i as WordPress's "1" or "0" (or empty).
func (r *record) flag(i int) bool {
	switch r.vals[i] {
	case "1":
		return true
	case "0", "":
		return false
	}
	r.fail(CodeInvalid, "%s %q (line %d) is neither 1 nor 0", r.s.fields[i].name(), clip(r.vals[i], 40), r.lines[i])
	return false
}

// mb formats a size in megabytes for messages.
func mb(n int) string {
	return strconv.Itoa((n+(1<<20)-1)>>20) + " MB"
}
