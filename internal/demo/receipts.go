package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/settings"
)

// enableReceipts gives the demo's association a complete identity and
// switches tax receipts on, attested by the demo's admin, so that the
// demo's cheques and transfers get their receipts and the register has
// something to show. The association and its RNA number are made up.
func enableReceipts(ctx context.Context, s Services, adminID int64, now time.Time) error {
	st := *s.Settings.Get() // a copy: Get's value is shared
	st.Association = settings.Association{Name: "Association Le Veilleur", Address: "12 rue Mercière", PostalCode: "69002",
		City: "Lyon", Object: "Informer le public par un journal indépendant et sans publicité",
		RNA: "W691234567", Type: "press_pluralism", SignatoryName: "Claire Morel", SignatoryTitle: "Présidente", CGIArticle: 200}
	st.Receipts.Enabled, st.Receipts.AttestedBy, st.Receipts.AttestedAt = true, adminID, now
	if err := s.Settings.Update(ctx, st); err != nil {
		return fmt.Errorf("seed demo receipts: %w", err)
	}
	return nil
}
