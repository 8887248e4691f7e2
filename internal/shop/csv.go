package shop

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"iter"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/isbn"
	"github.com/kiosque/kiosque/internal/textproc"
)

// CSVColumns are the columns of the catalogue's CSV files, in the order
// WriteCSV writes them. ReadCSV needs title and isbn (or ref); the others
// may be missing or in any order, and a few French names are accepted
// (titre, auteurs, éditeur, prix…).
var CSVColumns = []string{
	"isbn", "title", "subtitle", "authors", "publisher", "published_on", "pages", "format",
	"condition", "condition_note", "price_eur", "vat_rate", "stock", "weight_g", "subjects",
	"description", "cover_url", "status", "ref",
}

// csvAliases are the French column names ReadCSV also accepts.
var csvAliases = map[string]string{
	"titre": "title", "sous_titre": "subtitle", "sous-titre": "subtitle", "auteurs": "authors",
	"auteur": "authors", "editeur": "publisher", "éditeur": "publisher", "parution": "published_on",
	"date_parution": "published_on", "etat": "condition", "état": "condition", "note_etat": "condition_note",
	"prix": "price_eur", "prix_ttc": "price_eur", "tva": "vat_rate", "poids_g": "weight_g", "poids": "weight_g",
	"sujets": "subjects", "résumé": "description", "resume": "description", "couverture": "cover_url",
	"statut": "status",
}

// maxCSVLine bounds one line of a CSV file (a description may be long, a
// file without line breaks is not a catalogue).
const maxCSVLine = 1 << 20

// RowError is a CSV line that cannot be imported; reading goes on after
// it.
type RowError struct {
	// Line is the line of the file where the row starts (the header is
	// line 1).
	Line int
	// Problems say what is wrong, one per field ("price_eur: …").
	Problems []string
}

// Error lists the row's problems.
func (e *RowError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, strings.Join(e.Problems, "; "))
}

// CSVReader reads books from a CSV file one row at a time.
type CSVReader struct {
	r    *csv.Reader
	cols map[string]int
	// Comma is the separator found in the header: ';' (French Excel),
	// ',' or tab.
	Comma rune
}

// ReadCSV reads the header of a CSV catalogue and returns a reader for
// its rows. It takes what French spreadsheets write: a UTF-8 BOM, ';' or
// ',' or tab as separator (whichever the header uses most), Windows-1252
// lines (Excel's "CSV (séparateur : point-virgule)"), decimal commas.
func ReadCSV(r io.Reader) (*CSVReader, error) {
	dec := &lineDecoder{br: bufio.NewReaderSize(r, 64<<10)}
	header, err := dec.readLine()
	if len(header) == 0 && err != nil {
		if err == io.EOF {
			return nil, errors.New("read CSV: empty file")
		}
		return nil, fmt.Errorf("read CSV header: %w", err)
	}
	switch {
	case bytes.HasPrefix(header, []byte{0xFF, 0xFE}), bytes.HasPrefix(header, []byte{0xFE, 0xFF}):
		return nil, errors.New("read CSV: the file is UTF-16; save it as « CSV UTF-8 »")
	}
	header = bytes.TrimPrefix(header, []byte("\uFEFF"))
	header = dec.decode(header)
	head := append([]byte(nil), header...)
	c := &CSVReader{Comma: sniffComma(head)}
	c.r = csv.NewReader(io.MultiReader(bytes.NewReader(head), dec))
	c.r.Comma = c.Comma
	c.r.FieldsPerRecord = -1
	c.r.ReuseRecord = true
	names, err := c.r.Read()
	if err != nil {
		return nil, fmt.Errorf("read CSV header: %w", err)
	}
	c.cols = make(map[string]int, len(names))
	for i, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if alias, ok := csvAliases[n]; ok {
			n = alias
		}
		if n == "" {
			continue
		}
		if _, dup := c.cols[n]; dup {
			return nil, fmt.Errorf("read CSV header: column %q appears twice", n)
		}
		c.cols[n] = i
	}
	if _, ok := c.cols["title"]; !ok {
		return nil, fmt.Errorf("read CSV header: no title column (the columns are %s)", strings.Join(CSVColumns, ", "))
	}
	_, hasISBN := c.cols["isbn"]
	if _, hasRef := c.cols["ref"]; !hasISBN && !hasRef {
		return nil, errors.New("read CSV header: no isbn column")
	}
	return c, nil
}

// sniffComma returns the separator the header line uses most, outside
// quotes; ';' on a tie, as French Excel writes.
func sniffComma(line []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ';' || c == ',' || c == '\t'):
			counts[c]++
		}
	}
	best := byte(';')
	for _, c := range []byte{',', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// Next returns the book of the next row, a *RowError for a row that
// cannot be imported (call Next again), io.EOF at the end, or another
// error when the file cannot be read further.
func (c *CSVReader) Next() (*Book, error) {
	for {
		rec, err := c.r.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &RowError{Line: cmp.Or(pe.StartLine, pe.Line), Problems: []string{pe.Err.Error()}}
		}
		if err != nil {
			return nil, fmt.Errorf("read CSV: %w", err)
		}
		line, _ := c.r.FieldPos(0)
		if blank(rec) {
			continue
		}
		return c.book(rec, line)
	}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

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

// lineDecoder gives a file's lines as UTF-8: a line that is not valid
// UTF-8 is read as Windows-1252, which is what Excel writes for « CSV »
// on a French Windows.
type lineDecoder struct {
	br      *bufio.Reader
	buf     []byte
	pending []byte
	err     error
}

// Read implements io.Reader.
func (d *lineDecoder) Read(p []byte) (int, error) {
	for len(d.pending) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		line, err := d.readLine()
		d.err = err
		d.pending = d.decode(line)
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

// readLine returns the next line with its end, at most maxCSVLine bytes.
func (d *lineDecoder) readLine() ([]byte, error) {
	d.buf = d.buf[:0]
	for {
		chunk, err := d.br.ReadSlice('\n')
		d.buf = append(d.buf, chunk...)
		if err != bufio.ErrBufferFull {
			return d.buf, err
		}
		if len(d.buf) > maxCSVLine {
			return nil, fmt.Errorf("a line is longer than %d bytes", maxCSVLine)
		}
	}
}

func (d *lineDecoder) decode(line []byte) []byte {
	if utf8.Valid(line) {
		return line
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(line)
	if err != nil {
		return line
	}
	return out
}

// csvSource reads a CSV file's books for Service.Import.
type csvSource struct {
	r   *CSVReader
	now time.Time
}

// CSVSource returns the books of the CSV file read from r, for
// Service.Import: a row that cannot be imported is a *SkipError naming
// its line.
func CSVSource(r io.Reader, now time.Time) (BookSource, error) {
	c, err := ReadCSV(r)
	if err != nil {
		return nil, err
	}
	return &csvSource{r: c, now: now}, nil
}

// Next returns the next book, a *SkipError, io.EOF or the error that
// stopped the reading.
func (s *csvSource) Next() (*Book, error) {
	b, err := s.r.Next()
	var re *RowError
	if errors.As(err, &re) {
		return nil, &SkipError{Ref: fmt.Sprintf("line %d", re.Line), Reason: strings.Join(re.Problems, "; ")}
	}
	if err != nil {
		return nil, err
	}
	b.CreatedAt, b.UpdatedAt = s.now, s.now
	return b, nil
}

// WriteCSV writes books as a CSV file French Excel opens as is: UTF-8
// with a BOM, ';' between cells, CRLF line ends, decimal commas, and the
// price in effect at now. A cell that a spreadsheet would run as a formula
// (starting with = + - @, a tab or a carriage return) gets a leading ',
// which ReadCSV takes off again. The books' error stops the writing and is
// returned.
func WriteCSV(w io.Writer, now time.Time, books iter.Seq2[*Book, error]) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(CSVColumns); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	row := make([]string, len(CSVColumns))
	for b, err := range books {
		if err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
		csvRow(row, b, now)
		for i, cell := range row {
			row[i] = defuse(cell)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// csvRow fills row with b's cells, in CSVColumns order.
func csvRow(row []string, b *Book, now time.Time) {
	var authors []string
	for _, c := range b.Contributors {
		name := c.SortName
		if !strings.Contains(name, ",") {
			name = c.Name
		}
		if c.Role != "" && c.Role != "A01" {
			name += " (" + c.Role + ")"
		}
		authors = append(authors, strings.ReplaceAll(name, ";", ","))
	}
	var subjects []string
	for _, s := range b.Subjects {
		v := s.Code
		if s.Scheme == "keyword" {
			v = s.Heading
		}
		if v != "" {
			subjects = append(subjects, s.Scheme+":"+strings.ReplaceAll(v, ";", ","))
		}
	}
	price, stock, published := "", "", ""
	if cents, ok := b.PriceAt(now); ok {
		price = decimalComma(cents)
	}
	if b.TrackStock {
		stock = strconv.Itoa(b.Stock)
	}
	if !b.PublishedOn.IsZero() {
		published = b.PublishedOn.Format("2006-01-02")
	}
	cells := []string{
		b.ISBN, b.Title, b.Subtitle, strings.Join(authors, "; "), b.Publisher, published, positive(b.Pages),
		string(b.Format), string(b.Condition), b.ConditionNote, price, rateComma(b.VATRate), stock,
		positive(b.WeightGrams), strings.Join(subjects, "; "), b.Description, b.CoverURL, string(b.Status), b.RecordRef,
	}
	copy(row, cells)
}

func positive(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// decimalComma writes cents as euros with a decimal comma ("22,00").
func decimalComma(cents int64) string {
	return fmt.Sprintf("%d,%02d", cents/100, cents%100)
}

// rateComma writes basis points as a percent with a decimal comma ("5,5",
// "20").
func rateComma(bp int) string {
	s := fmt.Sprintf("%d,%02d", bp/100, bp%100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	if s == "" {
		return "0"
	}
	return s
}

// defuse puts a quote before a cell a spreadsheet would take for a
// formula.
func defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
