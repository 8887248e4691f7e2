package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/donations"
)

// offlineForm is what the offline gift form posts, kept as typed to show
// it again with its errors.
type offlineForm struct {
	Amount, ReceivedAt, Method         string
	Email, FirstNames, LastName        string
	Address, PostalCode, City, Country string
	Campaign                           int64
	Note, Counterpart                  string
	Thank, Anonymous                   bool
	// Reference names the gift before it is recorded: the same form sent
	// twice records it once (see donations.RecordOfflineOnce).
	Reference string
}

type offlinePage struct {
	basePage
	Form      offlineForm
	Errors    formErrors
	Methods   []donations.Method
	Campaigns []campaignChoice
	// Today bounds the date field: a gift is not received in the future.
	Today string
}

// offlineMethods are the methods an admin enters: a card payment only
// comes from the payment provider.
var offlineMethods = []donations.Method{donations.MethodCheque, donations.MethodTransfer, donations.MethodCash, donations.MethodOther}

// showOfflineGift shows the form of a gift received by cheque, transfer
// or cash, with a fresh reference, today's date and the campaign running
// now chosen.
func (h *Handler) showOfflineGift(w http.ResponseWriter, r *http.Request, s *session) {
	ref, err := donations.NewOfflineReference()
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	f := offlineForm{ReceivedAt: h.Clock.Now().In(h.Settings.Get().Location()).Format(formDayLayout), Method: string(donations.MethodCheque),
		Country: "FR", Thank: true, Reference: ref}
	list, err := h.Donations.Campaigns(r.Context(), s.actor)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	for _, c := range list {
		if c.Campaign.Running(h.Clock.Now()) {
			f.Campaign = c.Campaign.ID
			break
		}
	}
	h.renderOfflineGift(w, r, s, http.StatusOK, f, nil)
}

func (h *Handler) renderOfflineGift(w http.ResponseWriter, r *http.Request, s *session, status int, f offlineForm, errs formErrors) {
	choices, err := h.campaignChoices(r, s)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	loc := h.Settings.Get().Location()
	h.render(w, r, status, "donations_new", &offlinePage{basePage: h.base(r, s, h.printer().T("admin.donations.new"), "donations"),
		Form: f, Errors: errs, Methods: offlineMethods, Campaigns: choices, Today: h.Clock.Now().In(loc).Format(formDayLayout)})
}

// saveOfflineGift records the gift of the form and goes back to the list;
// a refused form comes back with each message next to its field.
func (h *Handler) saveOfflineGift(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	v := r.PostFormValue
	f := offlineForm{Amount: v("amount"), ReceivedAt: v("received_at"), Method: v("method"), Email: v("email"),
		FirstNames: v("first_names"), LastName: v("last_name"), Address: v("address"), PostalCode: v("postal_code"), City: v("city"),
		Country: strings.ToUpper(strings.TrimSpace(v("country"))), Note: v("note"), Thank: v("thank") != "", Anonymous: v("anonymous") != "",
		Reference: v("reference"), Counterpart: v("counterpart")}
	f.Campaign, _ = strconv.ParseInt(v("campaign"), 10, 64)
	cents, amountErr := donations.ParseAmount(f.Amount)
	g := donations.OfflineGift{AmountCents: cents, Method: donations.Method(f.Method), CampaignID: max(f.Campaign, 0), Note: f.Note,
		ThankByEmail: f.Thank, Reference: f.Reference,
		Donor: donations.Donor{Email: f.Email, FirstNames: f.FirstNames, LastName: f.LastName, Address: f.Address,
			PostalCode: f.PostalCode, City: f.City, Country: f.Country, Anonymous: f.Anonymous}}
	// The day the money came, from its first instant in the site's zone:
	// never in the future when it is today.
	g.ReceivedAt = parseFormDay(f.ReceivedAt, h.Settings.Get().Location())
	if strings.TrimSpace(f.Counterpart) != "" {
		var perr error
		if g.CounterpartCents, perr = donations.ParseAmount(f.Counterpart); perr != nil {
			g.CounterpartCents = -1 // refused by the service, next to the field
		}
	}
	d, again, err := h.Donations.RecordOfflineOnce(r.Context(), s.actor, g)
	if err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		if amountErr != nil {
			// What the admin typed is at fault, not the zero it became.
			aerrs, _ := h.errorsOf(amountErr)
			errs["amount"] = aerrs["amount"]
		}
		h.renderOfflineGift(w, r, s, formStatus(err), f, errs)
		return
	}
	done := "created"
	if again {
		// The form was sent twice: the gift stands once.
		done = "saved"
	}
	redirect(w, r, "/admin/donations#gift-"+strconv.FormatInt(d.ID, 10), done)
}
