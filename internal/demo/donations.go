package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/users"
)

// Demo donors: first names and last names combined, so the gifts come
// from many people without a long list.
var (
	demoFirstNames = []string{"Camille", "Lucien", "Aïcha", "Bernard", "Élodie", "Hugo", "Nadia", "Pierre", "Sylvie", "Yann", "Inès", "Joseph"}
	demoLastNames  = []string{"Martin", "Nguyen", "Rousseau", "Benali", "Lefèvre", "Moreau", "Garnier", "Da Silva", "Faure", "Perrin"}
	demoAmounts    = []int64{2000, 5000, 3000, 10000, 1500, 25000, 4000, 6000, 2500, 15000, 8000, 50000}
)

// seedCampaign runs the winter campaign, a month in, with the cheques and
// transfers readers sent: the appeal's bar shows where it stands.
func seedCampaign(ctx context.Context, s Services, adminID int64, now time.Time) (int, error) {
	c := &donations.Campaign{Title: "Campagne d’hiver : 20 000 € pour notre indépendance", GoalCents: 2_000_000,
		StartsAt: now.AddDate(0, 0, -30), EndsAt: now.AddDate(0, 0, 60), CreatedAt: now}
	if err := s.Donations.Store.CreateCampaign(ctx, c); err != nil {
		return 0, fmt.Errorf("seed demo campaign: %w", err)
	}
	admin := access.Actor{UserID: adminID, Role: users.RoleAdmin}
	n := 0
	for i := range 48 {
		first, last := demoFirstNames[i%len(demoFirstNames)], demoLastNames[(i*7)%len(demoLastNames)]
		method := donations.MethodCheque
		if i%3 == 0 {
			method = donations.MethodTransfer
		}
		g := donations.OfflineGift{AmountCents: demoAmounts[(i*5)%len(demoAmounts)], Method: method,
			ReceivedAt: now.Add(-time.Duration(29*24-i*14) * time.Hour), CampaignID: c.ID,
			Donor: donations.Donor{Email: fmt.Sprintf("donateur%02d@exemple.fr", i), FirstNames: first, LastName: last,
				Address: fmt.Sprintf("%d rue de la République", 1+i), PostalCode: "69002", City: "Lyon", Anonymous: i%9 == 4}}
		if _, err := s.Donations.RecordOffline(ctx, admin, g); err != nil {
			return 0, fmt.Errorf("seed demo gift %d: %w", i, err)
		}
		n++
	}
	return n, nil
}
