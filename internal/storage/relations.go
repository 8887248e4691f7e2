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

// jsonRow is one [id, "field", …] element of the JSON arrays that
// relationsJSON and relatedJSON build.
type jsonRow struct {
	id     int64
	fields []string
}

// parseRows decodes such an array whose rows hold an id and n strings.
// The common case, with no escaped character, is parsed by hand
// (encoding/json took an eighth of an article page's database time);
// anything else goes to encoding/json.
func parseRows(raw []byte, n int) ([]jsonRow, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if out, ok := parseRowsFast(raw, n); ok {
		return out, nil
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, fmt.Errorf("decode relations: %w", err)
	}
	out := make([]jsonRow, 0, len(rows))
	for _, parts := range rows {
		if len(parts) != n+1 {
			return nil, fmt.Errorf("decode relations: row of %d elements, want %d", len(parts), n+1)
		}
		r := jsonRow{fields: make([]string, n)}
		if err := json.Unmarshal(parts[0], &r.id); err != nil {
			return nil, fmt.Errorf("decode relations: %w", err)
		}
		for i := range n {
			if err := json.Unmarshal(parts[i+1], &r.fields[i]); err != nil {
				return nil, fmt.Errorf("decode relations: %w", err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func parseRowsFast(b []byte, n int) ([]jsonRow, bool) {
	i := 0
	skip := func() {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
			i++
		}
	}
	expect := func(c byte) bool {
		skip()
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
	var out []jsonRow
	if expect(']') {
		return out, true
	}
	for {
		if !expect('[') {
			return nil, false
		}
		skip()
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		id, err := strconv.ParseInt(string(b[start:i]), 10, 64)
		if err != nil {
			return nil, false
		}
		r := jsonRow{id: id, fields: make([]string, n)}
		for k := range n {
			var ok bool
			if !expect(',') {
				return nil, false
			}
			if r.fields[k], ok = str(); !ok {
				return nil, false
			}
		}
		if !expect(']') {
			return nil, false
		}
		out = append(out, r)
		if expect(']') {
			skip()
			return out, i == len(b)
		}
		if !expect(',') {
			return nil, false
		}
	}
}

// relation is a related record: an author, a category or a tag.
type relation struct {
	ID    int64
	Slug  string
	Name  string
	Extra string
}

// parseRelations decodes relationsJSON output.
func parseRelations(raw []byte) ([]relation, error) {
	rows, err := parseRows(raw, 3)
	if err != nil {
		return nil, err
	}
	var out []relation
	for _, r := range rows {
		out = append(out, relation{ID: r.id, Slug: r.fields[0], Name: r.fields[1], Extra: r.fields[2]})
	}
	return out, nil
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
