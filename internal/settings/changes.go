package settings

import (
	"reflect"
	"strings"
)

// Changes returns the names of the fields that differ between before and
// after, in the order of Site, as FieldNames spells them. Rendered HTML
// and UpdatedAt, which follow from the rest, are left out.
func Changes(before, after *Site) []string {
	a, b := fields(before), fields(after)
	var out []string
	for i := range a {
		if !same(a[i].value, b[i].value) {
			out = append(out, a[i].name)
		}
	}
	return out
}

// FieldNames returns the names of the fields a newsroom edits, in the
// order of Site: the JSON names, with a dot between a group and its field
// ("comment_policy.moderation"). Errors from Save name their field this
// way; a social link is named "social_links.<network>".
func FieldNames() []string {
	fs := fields(&Site{})
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}

type field struct {
	name  string
	value reflect.Value
}

// fields lists the edited fields of st, found by reflection so that a
// field added to Site is audited without another list to keep.
func fields(st *Site) []field {
	var out []field
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "" || name == "-" || name == "updated_at" || strings.HasSuffix(name, "_html") {
				continue
			}
			if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == t.PkgPath() {
				walk(v.Field(i), prefix+name+".")
				continue
			}
			out = append(out, field{prefix + name, v.Field(i)})
		}
	}
	walk(reflect.ValueOf(st).Elem(), "")
	return out
}

// same compares two field values; an empty slice equals a nil one.
func same(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
