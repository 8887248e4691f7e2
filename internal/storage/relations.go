package storage

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/kiosque/kiosque/internal/content"
)

// relationsJSON returns three SQL expressions giving an article's authors,
// categories and tags (alias a) as JSON arrays of [id, slug, name, extra],
// in order. The functions differ between the databases; the shape does not.
func (db *DB) relationsJSON() string {
	if db.dialect == Postgres {
		return `COALESCE((SELECT json_agg(json_build_array(u.id, u.slug, u.name, u.bio) ORDER BY aa.position)
			FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE aa.article_id = a.id), '[]')::text,
		COALESCE((SELECT json_agg(json_build_array(c.id, c.slug, c.name, c.description) ORDER BY ac.position)
			FROM article_categories ac JOIN categories c ON c.id = ac.category_id WHERE ac.article_id = a.id), '[]')::text,
		COALESCE((SELECT json_agg(json_build_array(t.id, t.slug, t.name, '') ORDER BY at.position)
			FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), '[]')::text`
	}
	return `(SELECT json_group_array(json_array(id, slug, name, extra)) FROM (SELECT u.id, u.slug, u.name, u.bio AS extra
			FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE aa.article_id = a.id ORDER BY aa.position)),
		(SELECT json_group_array(json_array(id, slug, name, extra)) FROM (SELECT c.id, c.slug, c.name, c.description AS extra
			FROM article_categories ac JOIN categories c ON c.id = ac.category_id WHERE ac.article_id = a.id ORDER BY ac.position)),
		(SELECT json_group_array(json_array(id, slug, name, '')) FROM (SELECT t.id, t.slug, t.name
			FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id ORDER BY at.position))`
}

// relation is one [id, slug, name, extra] element of relationsJSON.
type relation struct {
	ID    int64
	Slug  string
	Name  string
	Extra string
}

// UnmarshalJSON reads the array form, exactly four elements.
func (r *relation) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	if len(parts) != 4 {
		return fmt.Errorf("relation has %d elements, want 4", len(parts))
	}
	for i, dst := range []any{&r.ID, &r.Slug, &r.Name, &r.Extra} {
		if err := json.Unmarshal(parts[i], dst); err != nil {
			return err
		}
	}
	return nil
}

// parseRelations decodes relationsJSON output. The common case, with no
// escaped character, is parsed by hand (encoding/json took an eighth of an
// article page's database time); anything else goes to encoding/json.
func parseRelations(raw []byte) ([]relation, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if out, ok := parseRelationsFast(raw); ok {
		return out, nil
	}
	var out []relation
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decode relations: %w", err)
	}
	return out, nil
}

func parseRelationsFast(b []byte) ([]relation, bool) {
	i := 0
	expect := func(c byte) bool {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
		if i < len(b) && b[i] == c {
			i++
			return true
		}
		return false
	}
	str := func() (string, bool) {
		if !expect('"') {
			return "", false
		}
		start := i
		for i < len(b) && b[i] != '"' {
			if b[i] == '\\' {
				return "", false
			}
			i++
		}
		if i >= len(b) {
			return "", false
		}
		s := string(b[start:i])
		i++
		return s, true
	}
	if !expect('[') {
		return nil, false
	}
	var out []relation
	if expect(']') {
		return out, true
	}
	for {
		var r relation
		if !expect('[') {
			return nil, false
		}
		for i < len(b) && b[i] == ' ' {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		id, err := strconv.ParseInt(string(b[start:i]), 10, 64)
		if err != nil || !expect(',') {
			return nil, false
		}
		var ok bool
		if r.Slug, ok = str(); !ok || !expect(',') {
			return nil, false
		}
		if r.Name, ok = str(); !ok || !expect(',') {
			return nil, false
		}
		if r.Extra, ok = str(); !ok || !expect(']') {
			return nil, false
		}
		r.ID = id
		out = append(out, r)
		if expect(']') {
			return out, true
		}
		if !expect(',') {
			return nil, false
		}
	}
}

func decodeRelations(a *content.Article, authors, cats, tags []byte) error {
	au, err := parseRelations(authors)
	if err != nil {
		return err
	}
	ca, err := parseRelations(cats)
	if err != nil {
		return err
	}
	ta, err := parseRelations(tags)
	if err != nil {
		return err
	}
	a.Authors, a.Categories, a.Tags = nil, nil, nil
	for _, r := range au {
		a.Authors = append(a.Authors, content.Author{ID: r.ID, Slug: r.Slug, Name: r.Name, Bio: r.Extra})
	}
	for _, r := range ca {
		a.Categories = append(a.Categories, content.Category{ID: r.ID, Slug: r.Slug, Name: r.Name, Description: r.Extra})
	}
	for _, r := range ta {
		a.Tags = append(a.Tags, content.Tag{ID: r.ID, Slug: r.Slug, Name: r.Name})
	}
	return nil
}
