package shop

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
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
