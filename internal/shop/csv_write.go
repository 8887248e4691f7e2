package shop

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"
)

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
