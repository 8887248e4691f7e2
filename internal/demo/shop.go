package demo

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/payments"
	"github.com/kiosque/kiosque/internal/shop"
)

// demoBook is one title of the demo bookshop. The titles, authors and
// ISBNs are invented (the ISBNs are valid numbers in a range no publisher
// uses here), so the demo asserts nothing about real books.
type demoBook struct {
	title, subtitle, author, publisher string
	role                               string // ONIX List 17; "" is A01
	translator                         string
	published                          string // YYYY-MM-DD
	pages, grams                       int
	cents                              int64
	subject, heading                   string // Thema
	format                             shop.Format
	condition                          shop.Condition
	note                               string
	stock                              int // -1: ordered on demand
	reorder                            int
	status                             shop.Status
	tags                               string // words for the article blocks
	description                        string
}

var demoBooks = []demoBook{
	{title: "La Nourrice", subtitle: "roman", author: "Lina Marchetti", publisher: "Éditions du Rhône", published: "2016-08-18", pages: 240, grams: 320, cents: 1800,
		subject: "FBA", heading: "Fiction moderne et contemporaine", stock: 8, description: "Un huis clos parisien, une nounou trop parfaite : le roman de la rentrée littéraire dont tout le monde parle."},
	{title: "Petite patrie", author: "Gaston Nkurunziza", publisher: "Éditions du Lac", published: "2016-08-24", pages: 224, grams: 300, cents: 1800,
		subject: "FBA", heading: "Fiction moderne et contemporaine", stock: 5, description: "Un enfant du Burundi voit son enfance heureuse basculer avec la guerre. Premier roman, prix des lycéens."},
	{title: "L’Orient de demain", subtitle: "tome 3", author: "Ryad Sallem", publisher: "Allure BD", published: "2016-10-06", pages: 152, grams: 520, cents: 2090,
		subject: "XAM", heading: "Bandes dessinées et romans graphiques", stock: 12, tags: "bande dessinée syrie", description: "Le troisième volet du récit d’une enfance entre la France et la Syrie, en bande dessinée."},
	{title: "L’Orient de demain", subtitle: "tome 1", author: "Ryad Sallem", publisher: "Allure BD", published: "2014-05-15", pages: 160, grams: 540, cents: 2090,
		subject: "XAM", heading: "Bandes dessinées et romans graphiques", stock: 3, reorder: 3, description: "Le premier volet, de la Libye à la Syrie des années 1980."},
	{title: "L’Orient de demain", subtitle: "tome 1", author: "Ryad Sallem", publisher: "Allure BD", published: "2014-05-15", pages: 160, grams: 540, cents: 1100,
		subject: "XAM", heading: "Bandes dessinées et romans graphiques", condition: shop.ConditionUsed, note: "Très bon état, couverture légèrement frottée.", stock: 1},
	{title: "Alep, la ville assiégée", subtitle: "chronique d’une guerre", author: "Claire Vidal", publisher: "Éditions du Seuil d’Or", published: "2016-09-07", pages: 288, grams: 380, cents: 2200,
		subject: "JPSL", heading: "Géopolitique", stock: 6, tags: "syrie alep onu", description: "Cinq ans de reportages dans une ville coupée en deux, par une correspondante de guerre."},
	{title: "Le Liban, terre de refuge", author: "Karim Haddad", publisher: "Éditions du Levant", published: "2016-03-10", pages: 196, grams: 260, cents: 1750,
		subject: "JBFH", heading: "Migrations, immigration et émigration", stock: 4, tags: "liban réfugiés", description: "Un million et demi de réfugiés syriens dans un pays de quatre millions d’habitants : enquête."},
	{title: "Frontières", subtitle: "essai sur Calais et l’Europe", author: "Manon Leclerc", publisher: "La Découverte du Nord", published: "2016-10-20", pages: 176, grams: 240, cents: 1400,
		subject: "JBFH", heading: "Migrations, immigration et émigration", stock: 7, tags: "migrants calais réfugiés", description: "Ce que la « jungle » de Calais dit de la politique migratoire européenne."},
	{title: "Mossoul", subtitle: "histoire d’une ville", author: "Paul Bertin", publisher: "Éditions du Levant", published: "2016-11-03", pages: 320, grams: 420, cents: 2400,
		subject: "NHG", heading: "Histoire du Moyen-Orient", stock: 3, tags: "irak mossoul", description: "De Ninive à l’État islamique, trois mille ans d’histoire d’une ville carrefour."},
	{title: "Chroniques d’un troubadour", author: "Robert Dillon", publisher: "Éditions du Rhône", translator: "Jean Malraux", published: "2016-10-14", pages: 304, grams: 360, cents: 2300,
		subject: "AVN", heading: "Compositeurs et auteurs-compositeurs", stock: 2, tags: "musique prix nobel", description: "Les mémoires d’un chanteur devenu prix Nobel de littérature, traduits de l’anglais."},
	{title: "Chroniques d’un troubadour", author: "Robert Dillon", publisher: "Éditions du Rhône", translator: "Jean Malraux", published: "2016-10-14", pages: 304, cents: 1499,
		subject: "AVN", heading: "Compositeurs et auteurs-compositeurs", format: shop.FormatEbook, stock: -1, description: "L’édition numérique (EPUB), vendue au prix fixé par l’éditeur."},
	{title: "Le Cinéma des frères Lumière", author: "Hélène Roux", publisher: "Presses de Fourvière", published: "2015-06-11", pages: 256, grams: 600, cents: 3500,
		subject: "ATFD", heading: "Histoire du cinéma", stock: 2, tags: "cinéma lyon", description: "Beau livre illustré : de la sortie des usines Lumière au festival de Lyon."},
	{title: "Ken Loach, cinéaste de la colère", author: "Samuel Petit", publisher: "Presses de Fourvière", published: "2016-05-20", pages: 210, grams: 330, cents: 1900,
		subject: "ATFD", heading: "Histoire du cinéma", stock: 0, tags: "cinéma royaume-uni", description: "Portrait d’un réalisateur engagé, jusqu’à sa seconde Palme d’or."},
	{title: "L’Usine et la ville", subtitle: "Belfort, un siècle de locomotives", author: "André Muller", publisher: "Éditions de l’Est", published: "2016-09-29", pages: 180, grams: 280, cents: 1600,
		subject: "KCF", heading: "Économie du travail", stock: 5, tags: "industrie emploi", description: "L’histoire sociale d’une usine et de ceux qui y ont fabriqué les trains français."},
	{title: "Indépendants", subtitle: "pourquoi la presse a besoin de ses lecteurs", author: "Collectif du Veilleur", publisher: "Le Veilleur", published: "2016-11-25", pages: 128, grams: 180, cents: 1200,
		subject: "JFD", heading: "Médias et communication", stock: 30, tags: "presse médias", description: "Le livre de notre association : dix ans de journalisme financé par ses lecteurs."},
	{title: "Le Monde d’après", subtitle: "essai", author: "Isabelle Fournier", publisher: "La Découverte du Nord", published: "2027-01-15", pages: 200, cents: 1900,
		subject: "JP", heading: "Politique et gouvernement", status: shop.StatusForthcoming, stock: -1, description: "À paraître en janvier."},
	{title: "Guide de Lyon 2010", author: "Marc Durand", publisher: "Presses de Fourvière", published: "2010-03-01", pages: 300, cents: 1500,
		subject: "WTH", heading: "Guides de voyage", status: shop.StatusWithdrawn, stock: 0, description: "Épuisé : cette édition n’est plus disponible."},
	{title: "Petite patrie", author: "Gaston Nkurunziza", publisher: "Éditions du Lac", published: "2016-08-24", pages: 224, grams: 300, cents: 900,
		subject: "FBA", heading: "Fiction moderne et contemporaine", condition: shop.ConditionUsed, note: "Bon état, quelques pages cornées.", stock: 1},
	{title: "Le Climat en procès", author: "Nadia Benali", publisher: "Éditions du Seuil d’Or", published: "2016-06-02", pages: 240, grams: 310, cents: 2000,
		subject: "RNPG", heading: "Changement climatique", stock: 4, description: "Quand les citoyens attaquent les États en justice pour le climat."},
	{title: "Les Mots de l’exil", subtitle: "poèmes", author: "Yasmina Darwiche", publisher: "Éditions du Levant", translator: "Laure Sayegh", published: "2015-10-01", pages: 96, grams: 140, cents: 1300,
		subject: "DCF", heading: "Poésie", stock: 3, tags: "syrie réfugiés", description: "Poèmes écrits sur la route de l’exil, traduits de l’arabe."},
}

// demoPicks stands for an editor's picks: article slug → titles.
var demoPicks = map[string][]int{
	"rentree-litteraire-560-romans":        {0, 1},
	"l-arabe-du-futur-tome-3-riad-sattouf": {2, 3, 4},
}

// demoISBN returns a valid ISBN-13 in a range no publisher uses.
func demoISBN(n int) string {
	base := fmt.Sprintf("97829990%04d", n)
	sum := 0
	for i, c := range base {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return base + strconv.Itoa((10-sum%10)%10)
}

// seedShop opens the demo bookshop: its settings (VAT-exempt association,
// the legal delivery floor, the 1-cent offer from 64 €), its catalogue,
// the books editors picked for two articles, and a year of paid orders
// through the same path as Stripe's events, for the back office's orders
// and sales report.
func seedShop(ctx context.Context, s Services, now time.Time) (books, orders int, err error) {
	st := *s.Settings.Get()
	st.Shop.Enabled, st.Shop.VATMode = true, shop.VATExempt
	if st.Association.Name == "" {
		st.Association.Name, st.Association.Address, st.Association.PostalCode, st.Association.City =
			"Association Le Veilleur", "12 rue Mercière", "69002", "Lyon"
	}
	if st.Association.RNA == "" {
		st.Association.RNA = "W691234567"
	}
	st.Association.SIREN = "812345676"
	if err := s.Settings.Update(ctx, st); err != nil {
		return 0, 0, fmt.Errorf("seed demo shop settings: %w", err)
	}
	isbns := map[string]string{}
	var batch []*shop.Book
	for i, d := range demoBooks {
		b := demoBookOf(d, now)
		key := d.title + "|" + d.subtitle + "|" + string(b.Format)
		if isbns[key] == "" {
			isbns[key] = demoISBN(len(isbns) + 1)
		}
		b.ISBN = isbns[key]
		b.Slug = shop.BookSlug(b)
		b.RecordRef = "demo:" + b.ISBN
		if b.Condition == shop.ConditionUsed {
			b.RecordRef = "used:demo-" + strconv.Itoa(i)
		}
		batch = append(batch, b)
	}
	if _, err := s.Shop.Catalog.UpsertBooks(ctx, batch); err != nil {
		return 0, 0, fmt.Errorf("seed demo books: %w", err)
	}
	for slug, picks := range demoPicks {
		a, err := s.Content.ArticleBySlug(ctx, slug)
		if err != nil {
			return 0, 0, fmt.Errorf("seed demo picks for %s: %w", slug, err)
		}
		ids := make([]int64, len(picks))
		for i, p := range picks {
			ids[i] = batch[p].ID
		}
		if err := s.Shop.Catalog.SetArticleBooks(ctx, a.ID, ids); err != nil {
			return 0, 0, fmt.Errorf("seed demo picks for %s: %w", slug, err)
		}
	}
	if orders, err = seedOrders(ctx, s, batch, now); err != nil {
		return 0, 0, err
	}
	return len(batch), orders, nil
}

// demoBookOf makes the catalogue entry of d.
func demoBookOf(d demoBook, now time.Time) *shop.Book {
	b := &shop.Book{Title: d.title, Subtitle: d.subtitle, Publisher: d.publisher, Pages: d.pages, WeightGrams: d.grams,
		Format: d.format, Condition: d.condition, ConditionNote: d.note, Status: d.status, Language: "fre",
		Description: "<p>" + d.description + "</p>", Availability: "20", VATRate: shop.BookVATRate,
		Prices: []shop.Price{{Cents: d.cents}}, Stock: max(d.stock, 0), TrackStock: d.stock >= 0, ReorderAt: d.reorder,
		Subjects:     []shop.Subject{{Scheme: "thema", Code: d.subject, Heading: d.heading, Main: true}},
		Contributors: []shop.Contributor{{Role: cmp.Or(d.role, "A01"), Name: d.author}}}
	if d.translator != "" {
		b.Contributors = append(b.Contributors, shop.Contributor{Role: "B06", Name: d.translator})
	}
	if d.tags != "" {
		b.Subjects = append(b.Subjects, shop.Subject{Scheme: "keyword", Code: d.tags, Heading: d.tags})
	}
	if b.Format == "" {
		b.Format = shop.FormatPrint
	}
	if b.Condition == "" {
		b.Condition = shop.ConditionNew
	}
	if b.Status == "" {
		b.Status = shop.StatusActive
	}
	if b.Format == shop.FormatEbook {
		b.WeightGrams = 0
	}
	if b.Status == shop.StatusWithdrawn {
		b.Availability = "51"
	}
	b.PublishedOn, _ = time.Parse(time.DateOnly, d.published)
	b.CreatedAt, b.UpdatedAt = now, now
	return b
}

// demoCustomers buy the demo's orders.
var demoCustomers = []shop.Address{
	{Name: "Camille Martin", Line1: "8 rue Victor-Hugo", PostalCode: "69002", City: "Lyon", Country: "FR"},
	{Name: "Hugo Nguyen", Line1: "21 avenue Jean-Jaurès", PostalCode: "75019", City: "Paris", Country: "FR"},
	{Name: "Sylvie Perrin", Line1: "3 place du Marché", PostalCode: "38000", City: "Grenoble", Country: "FR"},
	{Name: "Yann Le Gall", Line1: "14 quai de la Fosse", PostalCode: "44000", City: "Nantes", Country: "FR"},
}

// orderedBooks are the demo titles its orders buy, all with stock to
// spare.
var orderedBooks = []int{0, 1, 2, 5, 7, 13}

// seedOrders places a dozen orders over the past year and has the
// payment provider's event mark them paid, as Stripe's would; the last is
// left pending on its payment page, one is shipped.
func seedOrders(ctx context.Context, s Services, books []*shop.Book, now time.Time) (int, error) {
	p := s.Settings.Get().Shop.Policy()
	n := 0
	for i := range 12 {
		at := now.AddDate(0, -11+i, -(i*3)%20)
		if i == 11 {
			at = now.Add(-5 * time.Minute) // still on its payment page
		}
		items := []shop.QuoteItem{{Book: books[orderedBooks[i%len(orderedBooks)]], Quantity: 1 + i%2}}
		if i%3 == 0 {
			items = append(items, shop.QuoteItem{Book: books[14], Quantity: 1})
		}
		for j := range items {
			items[j].BookID = items[j].Book.ID
			// The past's stock is not today's: only the prices matter.
			b := *items[j].Book
			b.TrackStock = false
			items[j].Book = &b
		}
		q, err := shop.QuoteCart(shop.QuoteInput{Items: items, CarrierID: p.Carriers[i%2].ID, Country: "FR", Policy: p, At: at})
		if err != nil {
			return n, fmt.Errorf("seed demo order %d: %w", i, err)
		}
		o, err := q.Order(nil)
		if err != nil {
			return n, fmt.Errorf("seed demo order %d: %w", i, err)
		}
		c := demoCustomers[i%len(demoCustomers)]
		o.Reference = fmt.Sprintf("ord_%08x%024d", 0xdec0de00+i, 0)
		o.Email = fmt.Sprintf("lecteur%02d@exemple.fr", i%len(demoCustomers))
		o.ShipTo, o.BillTo, o.Lang, o.Provider = c, c, "fr", "stripe"
		o.CreatedAt, o.UpdatedAt, o.ExpiresAt = at, at, at.Add(shop.CheckoutTTL)
		if err := s.Shop.Orders.PlaceOrder(ctx, o, nil); err != nil {
			return n, fmt.Errorf("seed demo order %d: %w", i, err)
		}
		n++
		if i == 11 {
			break // left on its payment page
		}
		ev := &payments.Event{ID: "evt_demo_" + strconv.Itoa(i+1), Type: payments.CheckoutCompleted, Raw: "checkout.session.completed",
			Created: at, Reference: o.Reference, Paid: true, AmountCents: o.TotalCents, Currency: "eur",
			SessionID: "cs_demo_" + strconv.Itoa(i+1), PaymentID: "pi_demo_" + strconv.Itoa(i+1), PaidAt: at.Add(2 * time.Minute)}
		if _, err := s.Shop.ApplyEvent(ctx, ev); err != nil {
			return n, fmt.Errorf("seed demo order %d paid: %w", i, err)
		}
		// The older orders are delivered, two are on their way, the
		// latest paid one waits to be prepared.
		if i < 10 {
			if err := s.Shop.Ship(ctx, o.ID, fmt.Sprintf("6A%011d", 40000000+i), "demo"); err != nil {
				return n, fmt.Errorf("seed demo order %d shipped: %w", i, err)
			}
		}
		if i < 8 {
			if err := s.Shop.Deliver(ctx, o.ID, "demo"); err != nil {
				return n, fmt.Errorf("seed demo order %d delivered: %w", i, err)
			}
		}
	}
	return n, nil
}
