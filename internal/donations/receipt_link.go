package donations

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kiosque/kiosque/internal/apperr"
)

// A donor downloads their receipt again from a signed link, given in the
// emails that carry it: an HMAC of the receipt's id under the site's
// secret (Deps.Secret), so no one reads another's receipt by changing a
// number. The link has no end: a donor looks for it at tax time, months
// later.

// ReceiptPath is the address where the donor downloads receipt id.
func (s *Service) ReceiptPath(id int64) string {
	return "/soutenir/recu/?r=" + strconv.FormatInt(id, 10) + "&t=" + s.receiptToken(id)
}

func (s *Service) receiptToken(id int64) string { return s.token("receipt", id) }

// ReceiptByLink returns the receipt a signed link names, with its PDF as
// it was sent; an annulled receipt is returned too, for the page to say
// so instead of handing it out. A wrong link gets apperr.NotFound, like a
// receipt that does not exist.
func (s *Service) ReceiptByLink(ctx context.Context, id int64, token string) (*Receipt, error) {
	if !s.validToken("receipt", id, token) {
		return nil, apperr.New(apperr.NotFound, "error.receipt.bad_link")
	}
	r, err := s.Store.Receipt(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("receipt by link: %w", err)
	}
	return r, nil
}
