package shop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Import limits.
const (
	// ImportBatch is how many books one transaction stores: large enough
	// that 100,000 books take seconds, small enough that a failure loses
	// little and memory stays flat.
	ImportBatch = 500
	// MaxReportedSkips bounds the skipped products a report lists one by
	// one; the count goes on.
	MaxReportedSkips = 1000
)

// BookSource yields the books of a file one at a time (ONIX, CSV). Next
// returns io.EOF at the end; a *SkipError for a record that cannot be
// imported, after which reading goes on; any other error when the file
// cannot be read further (truncated, not XML), which stops the import
// with what was read before it kept.
type BookSource interface {
	Next() (*Book, error)
}

// SkipError is a record of an import file that is left out, and why.
type SkipError struct {
	// Ref is the record's reference (or ISBN, or CSV line "ligne 12").
	Ref    string
	Reason string
}

func (e *SkipError) Error() string { return fmt.Sprintf("skip %s: %s", e.Ref, e.Reason) }

// ImportOptions tune an import.
type ImportOptions struct {
	// DryRun reads and checks the whole file and reports, storing
	// nothing.
	DryRun bool
}

// ImportReport says what an import did.
type ImportReport struct {
	// Read counts the records read, skipped ones included.
	Read int
	// Counts are the books inserted, updated and unchanged.
	Counts ImportCounts
	// Withdrawn counts the books the file withdrew (deleted or out of
	// print records).
	Withdrawn int
	// Valid counts the records that would be stored (a dry run's result).
	Valid int
	// Skipped lists the records left out, at most MaxReportedSkips;
	// SkippedTotal counts them all.
	Skipped      []SkipError
	SkippedTotal int
	// Stopped is why the file could not be read to its end ("" when it
	// was): the books before that point are imported.
	Stopped  string
	Duration time.Duration
}

// Import reads src to its end and stores its books in batches: new
// records inserted, known ones updated by their record reference,
// deleted or out-of-print ones withdrawn (never erased: orders keep their
// lines). A record that cannot be imported is skipped with its reason; a
// file that breaks off stops the import, keeping what came before.
func (s *Service) Import(ctx context.Context, src BookSource, opts ImportOptions) (*ImportReport, error) {
	start := s.Clock.Now()
	rep := &ImportReport{}
	batch := make([]*Book, 0, ImportBatch)
	var withdraw []string
	flush := func() error {
		if opts.DryRun {
			batch, withdraw = batch[:0], withdraw[:0]
			return nil
		}
		if len(batch) > 0 {
			c, err := s.Catalog.UpsertBooks(ctx, batch)
			if err != nil {
				return fmt.Errorf("store books: %w", err)
			}
			rep.Counts = rep.Counts.Add(c)
			batch = batch[:0]
		}
		if len(withdraw) > 0 {
			n, err := s.Catalog.WithdrawBooks(ctx, withdraw, s.Clock.Now())
			if err != nil {
				return fmt.Errorf("withdraw books: %w", err)
			}
			rep.Withdrawn += n
			withdraw = withdraw[:0]
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		b, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var skip *SkipError
		if errors.As(err, &skip) {
			rep.Read++
			rep.SkippedTotal++
			if len(rep.Skipped) < MaxReportedSkips {
				rep.Skipped = append(rep.Skipped, *skip)
			}
			continue
		}
		if err != nil {
			rep.Stopped = err.Error()
			break
		}
		rep.Read++
		rep.Valid++
		if b.Status == StatusWithdrawn && b.Title == "" {
			// A deletion notice: nothing but the reference.
			withdraw = append(withdraw, b.RecordRef)
		} else {
			batch = append(batch, b)
		}
		if len(batch) >= ImportBatch || len(withdraw) >= ImportBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	rep.Duration = s.Clock.Now().Sub(start)
	return rep, nil
}
