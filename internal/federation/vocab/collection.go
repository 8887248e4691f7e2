package vocab

// OrderedCollection is a collection's first document: its size and where
// its pages start, or its items inline for a small one such as featured.
type OrderedCollection struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	TotalItems   int    `json:"totalItems"`
	First        string `json:"first,omitempty"`
	OrderedItems []any  `json:"orderedItems,omitzero"`
}

// OrderedCollectionPage is one page of a collection, newest items first.
type OrderedCollectionPage struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	PartOf       string `json:"partOf"`
	TotalItems   int    `json:"totalItems"`
	OrderedItems []any  `json:"orderedItems"`
	Next         string `json:"next,omitempty"`
	Prev         string `json:"prev,omitempty"`
}

// PageRef places a page in its collection.
type PageRef struct {
	// ID is the page's own address; PartOf is the collection's id.
	ID, PartOf string
	// Next and Prev are the neighbouring pages (older, newer); empty at the ends.
	Next, Prev string
	// TotalItems is the size of the whole collection.
	TotalItems int
}

// NewOrderedCollection is a paged collection's first document: the outbox,
// or the followers when they may be listed.
func NewOrderedCollection(id string, total int, first string) (*OrderedCollection, error) {
	if err := checkURL("id", id); err != nil {
		return nil, err
	}
	if err := checkURL("first", first); err != nil {
		return nil, err
	}
	return &OrderedCollection{Context: ActivityStreamsContext, ID: id, Type: "OrderedCollection", TotalItems: total, First: first}, nil
}

// NewCountOnlyCollection is a collection that says how many items it has
// and lists none: the followers and following of a publication that keeps
// its readers private, which Mastodon shows as a count.
func NewCountOnlyCollection(id string, total int) (*OrderedCollection, error) {
	if err := checkURL("id", id); err != nil {
		return nil, err
	}
	return &OrderedCollection{Context: ActivityStreamsContext, ID: id, Type: "OrderedCollection", TotalItems: total}, nil
}

// NewFeaturedCollection is the featured (pinned) articles collection,
// items inline as Mastodon expects; an empty one still has orderedItems.
func NewFeaturedCollection(id string, items []*Object) (*OrderedCollection, error) {
	if err := checkURL("id", id); err != nil {
		return nil, err
	}
	c := &OrderedCollection{Context: objectContext(), ID: id, Type: "OrderedCollection", TotalItems: len(items), OrderedItems: []any{}}
	for _, o := range items {
		c.OrderedItems = append(c.OrderedItems, o.embedded())
	}
	return c, nil
}

// NewOutboxPage is a page of the outbox: Create activities, newest first.
func NewOutboxPage(ref PageRef, creates []*OutboxActivity) (*OrderedCollectionPage, error) {
	if err := checkPageRef(ref); err != nil {
		return nil, err
	}
	p := &OrderedCollectionPage{
		Context:      objectContext(),
		ID:           ref.ID,
		Type:         "OrderedCollectionPage",
		PartOf:       ref.PartOf,
		TotalItems:   ref.TotalItems,
		OrderedItems: []any{},
		Next:         ref.Next,
		Prev:         ref.Prev,
	}
	for _, a := range creates {
		c := *a
		c.Context = nil
		p.OrderedItems = append(p.OrderedItems, &c)
	}
	return p, nil
}

// NewIDPage is a page of a collection listing ids, such as followers when
// the publication shows them.
func NewIDPage(ref PageRef, ids []string) (*OrderedCollectionPage, error) {
	if err := checkPageRef(ref); err != nil {
		return nil, err
	}
	p := &OrderedCollectionPage{
		Context:      ActivityStreamsContext,
		ID:           ref.ID,
		Type:         "OrderedCollectionPage",
		PartOf:       ref.PartOf,
		TotalItems:   ref.TotalItems,
		OrderedItems: make([]any, len(ids)),
		Next:         ref.Next,
		Prev:         ref.Prev,
	}
	for i, id := range ids {
		p.OrderedItems[i] = id
	}
	return p, nil
}

func checkPageRef(ref PageRef) error {
	for _, f := range []struct{ name, v string }{{"id", ref.ID}, {"partOf", ref.PartOf}} {
		if err := checkURL(f.name, f.v); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, v string }{{"next", ref.Next}, {"prev", ref.Prev}} {
		if err := checkOptionalURL(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}
