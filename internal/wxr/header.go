package wxr

import "encoding/xml"

// The fields of an author, in the order of authorSchema.
const (
	aID = iota
	aLogin
	aEmail
	aDisplayName
	aFirstName
	aLastName
)

var authorSchema = newSchema(
	field{nsWP, "author_id", true},
	field{nsWP, "author_login", true},
	field{nsWP, "author_email", true},
	field{nsWP, "author_display_name", false},
	field{nsWP, "author_first_name", false},
	field{nsWP, "author_last_name", false},
)

// The fields of a term, in the order of termSchema. wp:category,
// wp:tag and wp:term name the same things differently.
const (
	tID = iota
	tTaxonomy
	tSlug
	tName
	tParent
	tDescription
	tCatSlug
	tCatName
	tCatParent
	tCatDescription
	tTagSlug
	tTagName
	tTagDescription
)

var termSchema = newSchema(
	field{nsWP, "term_id", true},
	field{nsWP, "term_taxonomy", true},
	field{nsWP, "term_slug", true},
	field{nsWP, "term_name", false},
	field{nsWP, "term_parent", true},
	field{nsWP, "term_description", false},
	field{nsWP, "category_nicename", true},
	field{nsWP, "cat_name", false},
	field{nsWP, "category_parent", true},
	field{nsWP, "category_description", false},
	field{nsWP, "tag_slug", true},
	field{nsWP, "tag_name", false},
	field{nsWP, "tag_description", false},
)

// readAuthor reads the wp:author whose start tag was just read into
// Authors, or Skipped.
func (r *Reader) readAuthor() error {
	line, _ := r.dec.InputPos()
	r.count["wp:author"]++
	ref := ItemRef{Element: "wp:author", Index: r.count["wp:author"], Line: line}
	r.cur = ref
	rec := newRecord(authorSchema)
	if err := r.readRecord(rec, nil); err != nil {
		return err
	}
	r.cur = ItemRef{}
	v := rec.vals
	a := Author{Line: line, Login: v[aLogin], Email: v[aEmail], DisplayName: v[aDisplayName], FirstName: v[aFirstName], LastName: v[aLastName]}
	a.ID = rec.id(aID, false)
	if a.Login == "" {
		rec.fail(CodeMissing, "no wp:author_login")
	}
	ref.ID, ref.Name = a.ID, a.Login
	if rec.failed() {
		r.Skipped = append(r.Skipped, &ItemError{ItemRef: ref, Code: rec.code, Reason: rec.describe()})
		return nil
	}
	r.Authors = append(r.Authors, a)
	return nil
}

// readTerm reads the wp:category, wp:tag or wp:term (local) whose start
// tag was just read into Terms, or Skipped.
func (r *Reader) readTerm(local string) error {
	line, _ := r.dec.InputPos()
	kind := "wp:" + local
	r.count[kind]++
	ref := ItemRef{Element: kind, Index: r.count[kind], Line: line}
	r.cur = ref
	rec := newRecord(termSchema)
	var meta Metadata
	err := r.readRecord(rec, func(n ns, start xml.StartElement) error {
		if n == nsWP && start.Name.Local == "termmeta" {
			m, err := r.readMeta(&rec.problems, "wp:termmeta")
			meta = append(meta, m)
			return err
		}
		return r.tok.skip()
	})
	if err != nil {
		return err
	}
	r.cur = ItemRef{}
	v := rec.vals
	t := Term{Line: line, Meta: meta}
	t.ID = rec.id(tID, false)
	// Each element has its own names; those of another kind are not read
	// (a wp:tag's category_nicename means nothing).
	switch local {
	case "category":
		t.Taxonomy, t.Slug, t.Name, t.Parent, t.Description = TaxonomyCategory, v[tCatSlug], v[tCatName], v[tCatParent], v[tCatDescription]
	case "tag":
		t.Taxonomy, t.Slug, t.Name, t.Description = TaxonomyTag, v[tTagSlug], v[tTagName], v[tTagDescription]
	default:
		t.Taxonomy, t.Slug, t.Name, t.Parent, t.Description = v[tTaxonomy], v[tSlug], v[tName], v[tParent], v[tDescription]
		if t.Taxonomy == "" {
			rec.fail(CodeMissing, "no wp:term_taxonomy")
		}
	}
	if t.Slug == "" && t.Name == "" {
		rec.fail(CodeMissing, "neither a slug nor a name")
	}
	ref.ID, ref.Name = t.ID, t.Slug
	if ref.Name == "" {
		ref.Name = t.Name
	}
	if rec.failed() {
		r.Skipped = append(r.Skipped, &ItemError{ItemRef: ref, Code: rec.code, Reason: rec.describe()})
		return nil
	}
	r.Terms = append(r.Terms, t)
	return nil
}
