package shop

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
)

// AdminPermission is what the back office of the shop asks of an actor.
// Orders hold customers' addresses and refunds move money, so, like the
// gifts, the shop is the admins' until a role of its own exists.
const AdminPermission = access.ManageDonations

// ActionCustomerExport exported a customer's data (GDPR art. 15 and 20);
// its target is the order the export was asked from.
const ActionCustomerExport = "customer_export"

// AuditLog records actions that change no data of their own in the back
// office's audit log. package storage implements it.
type AuditLog interface {
	// RecordAudit writes e on its own.
	RecordAudit(ctx context.Context, e audit.Entry) error
}

// CustomerFile is everything the shop stores about a customer: every
// order placed with one email, whatever its case, oldest first.
type CustomerFile struct {
	// Email is the address of the order the file was asked from.
	Email  string
	At     time.Time
	Orders []CustomerOrder
}

// CustomerOrder is one order of a customer's file with its documents and
// refunds.
type CustomerOrder struct {
	*Order
	// Invoices are the invoice and credit notes of the order, in the order
	// they were issued, without their PDF.
	Invoices []*Invoice
	// Refunds are the money given back, oldest first.
	Refunds []Refund
}

// Refund is an amount of an order given back, at the time it was recorded.
type Refund struct {
	At    time.Time
	Cents int64
}

// refundNote is the history note of a refund, with its amount in cents:
// recordRefund writes it, refundsOf reads it back.
const refundNote = "refund %d"

// CustomerFile returns everything stored about the customer of order id,
// found by the order's email, for the customer's request to see it (GDPR
// art. 15 and 20), and records who asked in the audit log before anything
// is returned. An actor without AdminPermission gets apperr.Forbidden, an
// unknown order apperr.NotFound. Orders and invoices cannot be erased:
// the law keeps them ten years (Code de commerce art. L123-22, CGI art.
// 286).
func (s *Service) CustomerFile(ctx context.Context, actor access.Actor, id int64) (*CustomerFile, error) {
	if !actor.Can(AdminPermission) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	if s.Audit == nil {
		return nil, errors.New("customer file: no audit log to record the export")
	}
	o, err := s.OrderByID(ctx, id)
	if err != nil {
		return nil, err
	}
	list := []*Order{o}
	if strings.TrimSpace(o.Email) != "" {
		if list, err = s.Orders.OrdersByEmail(ctx, o.Email); err != nil {
			return nil, fmt.Errorf("customer file of order %d: %w", id, err)
		}
	}
	f := &CustomerFile{Email: o.Email, At: s.Clock.Now(), Orders: make([]CustomerOrder, 0, len(list))}
	for _, c := range list {
		docs, err := s.OrderInvoices(ctx, c.ID)
		if err != nil {
			return nil, fmt.Errorf("customer file of order %d: %w", id, err)
		}
		history, err := s.OrderHistory(ctx, c.ID)
		if err != nil {
			return nil, fmt.Errorf("customer file of order %d: %w", id, err)
		}
		f.Orders = append(f.Orders, CustomerOrder{Order: c, Invoices: docs, Refunds: refundsOf(history)})
	}
	// The email stays out of the log: the order it was asked from leads
	// to it for as long as the order is kept.
	e := audit.Entry{At: f.At, UserID: actor.UserID, UserName: actor.Name, Action: ActionCustomerExport, TargetType: "order",
		TargetID: o.ID, Summary: fmt.Sprintf("%d orders", len(f.Orders)), IP: actor.IP}
	if err := s.Audit.RecordAudit(ctx, e); err != nil {
		return nil, fmt.Errorf("customer file of order %d: %w", id, err)
	}
	return f, nil
}

// refundsOf returns the refunds an order's history recorded.
func refundsOf(history []StatusChange) []Refund {
	out := []Refund{}
	for _, c := range history {
		rest, ok := strings.CutPrefix(c.Note, "refund ")
		if !ok {
			continue
		}
		if cents, err := strconv.ParseInt(rest, 10, 64); err == nil && cents > 0 && fmt.Sprintf(refundNote, cents) == c.Note {
			out = append(out, Refund{At: c.At, Cents: cents})
		}
	}
	return out
}
