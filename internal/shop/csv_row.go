package shop

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/isbn"
	"github.com/kiosque/kiosque/internal/textproc"
)

// rowParser reads the fields of one row, collecting problems.
type rowParser struct {
	rec      []string
	cols     map[string]int
	problems []string
}

// get returns the trimmed cell of column, without the quote WriteCSV puts
// before a cell that a spreadsheet would take for a formula.
func (p *rowParser) get(column string) string {
	i, ok := p.cols[column]
	if !ok || i >= len(p.rec) {
		return ""
	}
	s := strings.TrimSpace(p.rec[i])
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		s = s[1:]
	}
	return s
}

func (p *rowParser) bad(column, format string, args ...any) {
	p.problems = append(p.problems, column+": "+fmt.Sprintf(format, args...))
}

// number reads a non-negative whole number ("192", "195 g").
func (p *rowParser) number(column, unit string) int {
	s := strings.TrimSpace(strings.TrimSuffix(p.get(column), unit))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, "\u202f", ""))
	if err != nil || n < 0 {
		p.bad(column, "%q is not a whole number", s)
		return 0
	}
	return n
}

func (c *CSVReader) book(rec []string, line int) (*Book, error) {
	p := &rowParser{rec: rec, cols: c.cols}
	b := &Book{
		Title: p.get("title"), Subtitle: p.get("subtitle"), Publisher: p.get("publisher"),
		ConditionNote: p.get("condition_note"), RecordRef: p.get("ref"),
	}
	if raw := p.get("isbn"); raw != "" {
		n, err := isbn.To13(raw)
		if err != nil {
			p.bad("isbn", "%q is not a valid ISBN", raw)
		}
		b.ISBN = n
	}
	b.Contributors = parseAuthors(p.get("authors"))
	if s := p.get("published_on"); s != "" {
		t, err := parseCSVDate(s)
		if err != nil {
			p.bad("published_on", "%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s)
		}
		b.PublishedOn = t
	}
	b.Pages = p.number("pages", "")
	b.Format = parseChoice(p, "format", FormatPrint, map[string]Format{
		"print": FormatPrint, "papier": FormatPrint, "imprimé": FormatPrint, "livre": FormatPrint,
		"ebook": FormatEbook, "numérique": FormatEbook, "numerique": FormatEbook,
		"audio": FormatAudio, "livre audio": FormatAudio, "other": FormatOther, "autre": FormatOther,
	})
	b.Condition = parseChoice(p, "condition", ConditionNew, map[string]Condition{
		"new": ConditionNew, "neuf": ConditionNew, "used": ConditionUsed, "occasion": ConditionUsed,
	})
	b.Status = parseChoice(p, "status", StatusActive, map[string]Status{
		"active": StatusActive, "actif": StatusActive, "forthcoming": StatusForthcoming, "à paraître": StatusForthcoming,
		"a paraitre": StatusForthcoming, "withdrawn": StatusWithdrawn, "retiré": StatusWithdrawn, "retire": StatusWithdrawn,
	})
	if s := p.get("price_eur"); s != "" {
		cents, err := parseEuros(s)
		if err != nil {
			p.bad("price_eur", "%q is not a price in euros (22,00 or 22.00)", s)
		} else {
			b.Prices = []Price{{Cents: cents}}
		}
	}
	switch s := p.get("vat_rate"); {
	case s != "":
		bp, err := parseRate(s)
		if err != nil {
			p.bad("vat_rate", "%q is not a rate in percent (5,5)", s)
		}
		b.VATRate = bp
	case b.Format == FormatOther:
		b.VATRate = otherVATRate
	default:
		b.VATRate = bookVATRate
	}
	if s := p.get("stock"); s != "" {
		b.Stock, b.TrackStock = p.number("stock", ""), true
	}
	b.WeightGrams = p.number("weight_g", "g")
	b.Subjects = parseSubjects(p)
	if s := p.get("description"); s != "" {
		if !looksHTML.MatchString(s) {
			s = plainParagraphs(s)
		}
		b.Description = textproc.SanitizeHTML(s)
	}
	if s := p.get("cover_url"); s != "" {
		if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.bad("cover_url", "%q is not an http(s) address", s)
		} else {
			b.CoverURL = s
		}
	}
	if len(p.problems) == 0 {
		NormalizeBook(b)
		for _, err := range apperr.Split(CheckBook(b)) {
			p.problems = append(p.problems, checkProblem(err))
		}
	}
	if len(p.problems) > 0 {
		return nil, &RowError{Line: line, Problems: p.problems}
	}
	if b.RecordRef == "" {
		b.RecordRef = csvRecordRef(b)
	}
	b.Slug = feedSlug(b)
	return b, nil
}

// looksHTML tells a description written in HTML from plain text.
var looksHTML = regexp.MustCompile(`<[a-zA-Z/!]`)

// plainParagraphs escapes plain text and makes paragraphs of its lines.
func plainParagraphs(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			b.WriteString("<p>" + html.EscapeString(line) + "</p>")
		}
	}
	return b.String()
}

func parseChoice[T ~string](p *rowParser, column string, def T, values map[string]T) T {
	s := strings.ToLower(p.get(column))
	if s == "" {
		return def
	}
	if v, ok := values[s]; ok {
		return v
	}
	p.bad(column, "%q is not one of the accepted values", s)
	return def
}

// parseAuthors reads "Nom, Prénom; Nom Prénom; NOM Prénom (B06)": an
// author per ';', a role code in brackets when not A01. Without a comma,
// the surname is the words in capitals at the start, else all but the
// last word ("Otsuka Julie", "Mbougar Sarr Mohamed").
func parseAuthors(s string) []Contributor {
	var out []Contributor
	for entry := range strings.SplitSeq(s, ";") {
		entry = strings.Join(strings.Fields(entry), " ")
		if entry == "" {
			continue
		}
		role := "A01"
		if i := strings.LastIndexByte(entry, '('); i > 0 && strings.HasSuffix(entry, ")") {
			if code := entry[i+1 : len(entry)-1]; roleCode.MatchString(code) {
				role, entry = code, strings.TrimSpace(entry[:i])
			}
		}
		last, first := splitName(entry)
		c := Contributor{Role: role, Name: strings.TrimSpace(first + " " + last), SortName: last}
		if first != "" {
			c.SortName = last + ", " + first
		}
		out = append(out, c)
	}
	return out
}

var roleCode = regexp.MustCompile(`^[A-Z][0-9]{2}$`)

// splitName returns the surname and given names of "Nom, Prénom" or "Nom
// Prénom".
func splitName(s string) (last, first string) {
	if l, f, ok := strings.Cut(s, ","); ok {
		return strings.TrimSpace(l), strings.TrimSpace(f)
	}
	words := strings.Fields(s)
	if len(words) < 2 {
		return s, ""
	}
	caps := 0
	for _, w := range words {
		if strings.ToUpper(w) != w || strings.ToLower(w) == w {
			break
		}
		caps++
	}
	if caps > 0 && caps < len(words) {
		return titleCase(strings.Join(words[:caps], " ")), strings.Join(words[caps:], " ")
	}
	return strings.Join(words[:len(words)-1], " "), words[len(words)-1]
}

// titleCase writes a surname typed in capitals as a name ("DE KERANGAL"
// → "De Kerangal").
func titleCase(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range strings.ToLower(s) {
		if upper {
			b.WriteString(strings.ToUpper(string(r)))
		} else {
			b.WriteRune(r)
		}
		upper = r == ' ' || r == '-' || r == '\''
	}
	return b.String()
}

// parseCSVDate reads YYYY-MM-DD, DD/MM/YYYY or a year.
func parseCSVDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date")
}

// parseEuros reads a price in euros with a decimal comma or point and at
// most two decimals: "22,00", "22.5", "22 €", "1 234,50".
func parseEuros(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 9 || len(frac) > 2 || strings.ContainsAny(whole+frac, "+-") {
		return 0, errors.New("not a price")
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, errors.New("not a price")
	}
	return n, nil
}

// parseRate reads a VAT rate in percent ("5,5", "5.5 %", "20") as basis
// points.
func parseRate(s string) (int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	cents, err := parseEuros(s)
	if err != nil || cents > 10000 {
		return 0, errors.New("not a rate")
	}
	return int(cents), nil
}

// csvSchemes are the subject schemes a CSV cell may name.
var csvSchemes = map[string]string{"clil": "clil", "thema": "thema", "bisac": "bisac", "keyword": "keyword", "mot-clé": "keyword", "motcle": "keyword"}

// parseSubjects reads "clil:3435; thema:FBA; keyword:absurde"; an entry
// without a scheme is a keyword.
func parseSubjects(p *rowParser) []Subject {
	var out []Subject
	for entry := range strings.SplitSeq(p.get("subjects"), ";") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		scheme, value, ok := strings.Cut(entry, ":")
		if !ok {
			out = append(out, Subject{Scheme: "keyword", Heading: entry})
			continue
		}
		name, known := csvSchemes[strings.ToLower(strings.TrimSpace(scheme))]
		value = strings.TrimSpace(value)
		switch {
		case !known:
			p.bad("subjects", "unknown scheme %q (clil, thema, bisac or keyword)", scheme)
		case value == "":
			p.bad("subjects", "%q has no code", entry)
		case name == "keyword":
			out = append(out, Subject{Scheme: name, Heading: value})
		default:
			out = append(out, Subject{Scheme: name, Code: value})
		}
	}
	return out
}

// checkReasons say in words what CheckBook's keys mean, for the import
// report.
var checkReasons = map[string]string{
	"error.shop.title_required":  "a title is required",
	"error.shop.too_long":        "too long",
	"error.shop.book_format":     "unknown format",
	"error.shop.book_condition":  "unknown condition",
	"error.shop.used_not_print":  "a used copy must be a printed book",
	"error.shop.bad_isbn":        "invalid ISBN",
	"error.shop.isbn_required":   "an ISBN is required for a new book",
	"error.shop.price_bounds":    "price out of bounds",
	"error.shop.book_vat_rate":   "VAT rate not allowed for this format (books: 5,5 or 2,1)",
	"error.shop.stock_bounds":    "stock out of bounds",
	"error.shop.weight_bounds":   "weight out of bounds",
	"error.shop.pages_bounds":    "page count out of bounds",
	"error.shop.too_many_prices": "too many prices",
}

func checkProblem(err error) string {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return err.Error()
	}
	reason, ok := checkReasons[ae.Key]
	if !ok {
		reason = ae.Key
	}
	field := ae.Field
	switch field {
	case "prices":
		field = "price_eur"
	case "weight":
		field = "weight_g"
	}
	return field + ": " + reason
}

// csvRecordRef names a CSV book without a ref column: "isbn:<ISBN>" for a
// new book (the back office's name for it, so both update the same
// book); for a used copy or another item, a digest of what describes it,
// so that importing the same file twice updates rather than duplicates.
func csvRecordRef(b *Book) string {
	if b.Condition != ConditionUsed && b.ISBN != "" {
		return refISBN + b.ISBN
	}
	prefix := refItem
	if b.Condition == ConditionUsed {
		prefix = refUsed
	}
	price := ""
	if len(b.Prices) > 0 {
		price = strconv.FormatInt(b.Prices[0].Cents, 10)
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{b.ISBN, b.Title, b.ConditionNote, price}, "\x00")))
	return prefix + hex.EncodeToString(sum[:6])
}
