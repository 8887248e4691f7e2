package app

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/users"
)

// socialAlerts writes the admins' email about a social account that keeps
// failing, in the site's language, with a link to the failed delivery.
type socialAlerts struct{ a *App }

var _ syndication.Alerts = socialAlerts{}

// AccountFailing implements syndication.Alerts.
func (m socialAlerts) AccountFailing(ctx context.Context, acct *syndication.Account, d *syndication.Delivery) ([]job.Job, error) {
	list, err := m.a.Users.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("admins to alert: %w", err)
	}
	var to []string
	for _, u := range list {
		if u.Role == users.RoleAdmin && !u.Disabled {
			to = append(to, u.Email)
		}
	}
	if len(to) == 0 {
		return nil, nil
	}
	st := m.a.Settings.Get()
	p := m.a.Catalog.Printer(st.Lang())
	link := m.a.Config.PublicBaseURL() + "/admin/social/deliveries?account=" + strconv.FormatInt(acct.ID, 10) +
		"#delivery-" + strconv.FormatInt(d.ID, 10)
	return []job.Job{{Args: job.Email{To: to,
		Subject:   p.T("mail.social_failing.subject", st.Title, acct.Name),
		Text:      p.T("mail.social_failing.text", acct.Name, p.T("social.network."+string(acct.Network)), d.Error, link),
		MessageID: "social-failing." + strconv.FormatInt(acct.ID, 10) + "." + strconv.FormatInt(d.ID, 10)}}}, nil
}
