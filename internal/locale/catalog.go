package locale

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

//go:embed messages/*.json
var messageFiles embed.FS

// Catalog holds every message in every supported language. It is built once
// at boot by LoadCatalog (or ParseCatalog) and never changes afterwards, so
// it and its Printers are safe for concurrent use. The zero Catalog is empty
// and has no Printers.
type Catalog struct {
	keys     []string
	plural   map[string]bool
	printers map[Lang]*Printer
}

// message is one entry of a language's catalogue: a plain text, or the "one"
// and "other" forms of a count-dependent message.
type message struct {
	text   string
	one    string
	plural bool
}

// CatalogError reports every problem ParseCatalog found in a catalogue, one
// sentence each, so a broken file is fixed in one go.
type CatalogError struct {
	Problems []string
}

// Error lists the problems, one a line.
func (e *CatalogError) Error() string {
	return fmt.Sprintf("invalid message catalogue (%d problems):\n\t%s", len(e.Problems), strings.Join(e.Problems, "\n\t"))
}

// keyPattern is the shape of a catalogue key: lowercase dotted segments.
var keyPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// LoadCatalog parses and validates the catalogue embedded in the binary
// (messages/fr.json and messages/en.json). It fails only if those files are
// broken, which the package's tests catch first.
func LoadCatalog() (*Catalog, error) {
	files := make(map[Lang][]byte, 2)
	for _, l := range Langs() {
		data, err := messageFiles.ReadFile("messages/" + fileName(l))
		if err != nil {
			return nil, fmt.Errorf("load catalog: %w", err)
		}
		files[l] = data
	}
	c, err := ParseCatalog(files)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	return c, nil
}

// ParseCatalog builds a Catalog from the raw JSON file of each supported
// language and validates it: every language has a file, each file is a flat
// JSON object without duplicate keys, keys are dotted lowercase, no message
// is empty, a plural message has exactly "one" and "other" forms, every
// language has the same keys with the same kind (plain or plural), and the
// fmt verbs of a message are the same in every form and language. All
// problems are returned together in a *CatalogError.
func ParseCatalog(files map[Lang][]byte) (*Catalog, error) {
	var problems []string
	parsed := make(map[Lang]map[string]message, len(files))
	sigs := make(map[Lang]map[string]string, len(files))
	invalid := map[string]bool{} // keys already reported, left out of the comparison
	var unsupported []string
	for l := range files {
		if !l.Supported() {
			unsupported = append(unsupported, fmt.Sprintf("%s: unsupported language %q", fileName(l), string(l)))
		}
	}
	slices.Sort(unsupported)
	problems = append(problems, unsupported...)
	for _, l := range Langs() {
		data, ok := files[l]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: missing file", fileName(l)))
			continue
		}
		entries, err := decodeMessages(data)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", fileName(l), err))
			continue
		}
		msgs := make(map[string]message, len(entries))
		sig := make(map[string]string, len(entries))
		for _, e := range entries {
			p := checkEntry(e)
			for _, s := range p {
				problems = append(problems, fmt.Sprintf("%s: key %q: %s", fileName(l), e.key, s))
			}
			if len(p) > 0 {
				invalid[e.key] = true
				continue
			}
			msgs[e.key] = e.message()
			sig[e.key], _ = verbSignature(e.texts()[0])
		}
		parsed[l], sigs[l] = msgs, sig
	}
	problems = append(problems, compareLangs(parsed, sigs, invalid)...)
	if len(problems) > 0 {
		return nil, &CatalogError{Problems: problems}
	}

	ref := parsed[French]
	c := &Catalog{
		keys:     make([]string, 0, len(ref)),
		plural:   make(map[string]bool, len(ref)),
		printers: make(map[Lang]*Printer, len(parsed)),
	}
	for k, m := range ref {
		c.keys = append(c.keys, k)
		c.plural[k] = m.plural
	}
	slices.Sort(c.keys)
	for l, msgs := range parsed {
		c.printers[l] = &Printer{lang: l, msgs: msgs}
	}
	return c, nil
}

// Printer returns the Printer of language l; an unsupported language gets
// the French one. It is cheap: Printers are built with the Catalog.
func (c *Catalog) Printer(l Lang) *Printer {
	if p, ok := c.printers[l]; ok {
		return p
	}
	return c.printers[French]
}

// Keys returns every key of the catalogue, sorted, in a new slice.
func (c *Catalog) Keys() []string {
	return slices.Clone(c.keys)
}

// IsPlural reports whether key names a plural message, to be printed with
// Printer.N rather than Printer.T. It is false for an unknown key.
func (c *Catalog) IsPlural(key string) bool {
	return c.plural[key]
}

func fileName(l Lang) string {
	return string(l) + ".json"
}

// entry is a message as read from a file, before validation.
type entry struct {
	key   string
	text  string
	forms map[string]string // plural forms; nil for a plain message
	dups  []string          // plural categories given twice
}

func (e entry) message() message {
	if e.forms == nil {
		return message{text: e.text}
	}
	return message{text: e.forms["other"], one: e.forms["one"], plural: true}
}

// texts returns the texts of e: its text, or its plural forms "other" first.
func (e entry) texts() []string {
	if e.forms == nil {
		return []string{e.text}
	}
	texts := []string{e.forms["other"]}
	for _, cat := range sortedKeys(e.forms) {
		if cat != "other" {
			texts = append(texts, e.forms[cat])
		}
	}
	return texts
}

// checkEntry returns what is wrong with one message of one file.
func checkEntry(e entry) []string {
	var problems []string
	if !keyPattern.MatchString(e.key) {
		problems = append(problems, "key must be dotted lowercase segments such as \"article.comments\"")
	}
	for _, cat := range e.dups {
		problems = append(problems, fmt.Sprintf("plural form %q given twice", cat))
	}
	if e.forms != nil {
		for _, cat := range sortedKeys(e.forms) {
			if cat != "one" && cat != "other" {
				problems = append(problems, fmt.Sprintf("unsupported plural form %q: use only \"one\" and \"other\"", cat))
			}
		}
		for _, cat := range []string{"one", "other"} {
			if _, ok := e.forms[cat]; !ok {
				problems = append(problems, fmt.Sprintf("plural message has no %q form", cat))
			}
		}
		if len(problems) > 0 {
			return problems
		}
	}
	var first string
	for i, text := range e.texts() {
		if text == "" {
			problems = append(problems, "empty message")
			continue
		}
		sig, err := verbSignature(text)
		if err != nil {
			problems = append(problems, fmt.Sprintf("bad fmt verb in %q: %v", text, err))
			continue
		}
		if i == 0 {
			first = sig
		} else if sig != first {
			problems = append(problems, fmt.Sprintf("plural forms use different fmt verbs: \"other\" has %s, %q has %s", first, text, sig))
		}
	}
	return problems
}

// compareLangs checks that every language has the keys, kinds and verbs of
// French, the reference language. Keys in invalid, already reported as
// broken in some file, are skipped.
func compareLangs(parsed map[Lang]map[string]message, sigs map[Lang]map[string]string, invalid map[string]bool) []string {
	ref, ok := parsed[French]
	if !ok {
		return nil
	}
	var problems []string
	for _, l := range Langs()[1:] {
		msgs, ok := parsed[l]
		if !ok {
			continue
		}
		for _, k := range sortedKeys(ref) {
			if invalid[k] {
				continue
			}
			m, ok := msgs[k]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: missing key %q (present in %s)", fileName(l), k, fileName(French)))
			case m.plural != ref[k].plural:
				problems = append(problems, fmt.Sprintf("key %q: %s has a %s, %s a %s", k, fileName(French), kind(ref[k]), fileName(l), kind(m)))
			case sigs[l][k] != sigs[French][k]:
				problems = append(problems, fmt.Sprintf("key %q: fmt verbs differ: %s has %s, %s has %s", k, fileName(French), sigs[French][k], fileName(l), sigs[l][k]))
			}
		}
		for _, k := range sortedKeys(msgs) {
			if _, ok := ref[k]; !ok && !invalid[k] {
				problems = append(problems, fmt.Sprintf("%s: missing key %q (present in %s)", fileName(French), k, fileName(l)))
			}
		}
	}
	return problems
}

func kind(m message) string {
	if m.plural {
		return "plural message"
	}
	return "plain message"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// decodeMessages reads a catalogue file, keeping its order and reporting
// what encoding/json would silently accept: duplicate keys and trailing data.
// A message whose key is invalid or whose plural forms are incomplete is
// returned for checkEntry to report.
func decodeMessages(data []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{', "the file must be one JSON object"); err != nil {
		return nil, err
	}
	var entries []entry
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		key := tok.(string) // object keys are always strings
		if seen[key] {
			return nil, fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		e := entry{key: key}
		tok, err = dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON at key %q: %w", key, err)
		}
		switch v := tok.(type) {
		case string:
			e.text = v
		case json.Delim:
			if v != '{' {
				return nil, fmt.Errorf("key %q: a value must be a string or an object of plural forms", key)
			}
			e.forms = map[string]string{}
			for dec.More() {
				catTok, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("invalid JSON at key %q: %w", key, err)
				}
				cat := catTok.(string)
				textTok, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("invalid JSON at key %q: %w", key, err)
				}
				text, ok := textTok.(string)
				if !ok {
					return nil, fmt.Errorf("key %q: plural form %q must be a string", key, cat)
				}
				if _, dup := e.forms[cat]; dup {
					e.dups = append(e.dups, cat)
				}
				e.forms[cat] = text
			}
			if err := expectDelim(dec, '}', ""); err != nil {
				return nil, fmt.Errorf("key %q: %w", key, err)
			}
		default:
			return nil, fmt.Errorf("key %q: a value must be a string or an object of plural forms", key)
		}
		entries = append(entries, e)
	}
	if err := expectDelim(dec, '}', ""); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: data after the closing brace")
	}
	return entries, nil
}

// expectDelim reads the next token and checks that it is delim.
func expectDelim(dec *json.Decoder, delim json.Delim, hint string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != delim {
		if hint == "" {
			hint = fmt.Sprintf("expected %q", delim)
		}
		return fmt.Errorf("invalid JSON: %s", hint)
	}
	return nil
}
