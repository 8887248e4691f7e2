package wxr

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// The fields of an item, in the order of itemSchema.
const (
	iTitle = iota
	iLink
	iPubDate
	iCreator
	iGUID
	iDescription
	iContent
	iExcerpt
	iPostID
	iDate
	iDateGMT
	iModified
	iModifiedGMT
	iCommentStatus
	iPingStatus
	iName
	iStatus
	iParent
	iMenuOrder
	iType
	iPassword
	iSticky
	iAttachmentURL
)

var itemSchema = newSchema(
	field{nsNone, "title", false},
	field{nsNone, "link", true},
	field{nsNone, "pubDate", true},
	field{nsDC, "creator", true},
	field{nsNone, "guid", true},
	field{nsNone, "description", false},
	field{nsContent, "encoded", false},
	field{nsExcerpt, "encoded", false},
	field{nsWP, "post_id", true},
	field{nsWP, "post_date", true},
	field{nsWP, "post_date_gmt", true},
	field{nsWP, "post_modified", true},
	field{nsWP, "post_modified_gmt", true},
	field{nsWP, "comment_status", true},
	field{nsWP, "ping_status", true},
	field{nsWP, "post_name", true},
	field{nsWP, "status", true},
	field{nsWP, "post_parent", true},
	field{nsWP, "menu_order", true},
	field{nsWP, "post_type", true},
	field{nsWP, "post_password", false},
	field{nsWP, "is_sticky", true},
	field{nsWP, "attachment_url", true},
)

// The fields of a comment, in the order of commentSchema.
const (
	cID = iota
	cAuthor
	cAuthorEmail
	cAuthorURL
	cAuthorIP
	cDate
	cDateGMT
	cContent
	cApproved
	cType
	cParent
	cUserID
)

var commentSchema = newSchema(
	field{nsWP, "comment_id", true},
	field{nsWP, "comment_author", false},
	field{nsWP, "comment_author_email", true},
	field{nsWP, "comment_author_url", true},
	field{nsWP, "comment_author_IP", true},
	field{nsWP, "comment_date", true},
	field{nsWP, "comment_date_gmt", true},
	field{nsWP, "comment_content", false},
	field{nsWP, "comment_approved", true},
	field{nsWP, "comment_type", true},
	field{nsWP, "comment_parent", true},
	field{nsWP, "comment_user_id", true},
)

// metaSchema is the fields of wp:postmeta, wp:commentmeta and wp:termmeta.
var metaSchema = newSchema(
	field{nsWP, "meta_key", false},
	field{nsWP, "meta_value", false},
)

// children calls fn for every child element of the element whose start
// tag was just read, until its end tag, with the child's namespace. fn
// must consume the child whole (with field, text, skip or children).
func (r *Reader) children(fn func(n ns, start xml.StartElement) error) error {
	depth := r.tok.depth()
	for {
		tok, err := r.tok.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(r.tok.resolve(t.Name), t); err != nil {
				return err
			}
		case xml.EndElement:
			if r.tok.depth() < depth {
				return nil
			}
		case xml.Directive:
			return detailf(ErrXML, "a <!%s> declaration inside an element", clip(string(t), 20))
		}
	}
}

// field reads the text of the element whose start tag was just read into
// field i of rec.
func (r *Reader) field(rec *record, i int) error {
	line, _ := r.dec.InputPos()
	t, err := r.tok.text(limits.field)
	if err != nil {
		return err
	}
	rec.set(i, line, t)
	return nil
}

// readRecord reads the children of the element whose start tag was just
// read into rec, passing those that are not its fields to other (nil:
// skip them).
func (r *Reader) readRecord(rec *record, other func(n ns, start xml.StartElement) error) error {
	return r.children(func(n ns, start xml.StartElement) error {
		if i, ok := rec.lookup(n, start.Name.Local); ok {
			return r.field(rec, i)
		}
		if other != nil {
			return other(n, start)
		}
		return r.tok.skip()
	})
}

// readMeta reads a wp:postmeta, wp:commentmeta or wp:termmeta; its
// problems become its owner's.
func (r *Reader) readMeta(owner *problems, what string) (Meta, error) {
	line, _ := r.dec.InputPos()
	rec := newRecord(metaSchema)
	if err := r.readRecord(rec, nil); err != nil {
		return Meta{}, err
	}
	if rec.failed() {
		owner.fail(rec.code, "%s (line %d): %s", what, line, rec.describe())
	}
	return Meta{Key: rec.vals[0], Value: rec.vals[1]}, nil
}

// readItem reads the item whose start tag was just read, at line.
func (r *Reader) readItem(line int) (*Item, error) {
	r.count["item"]++
	r.cur = ItemRef{Element: "item", Index: r.count["item"], Line: line}
	it := &Item{Index: r.cur.Index, Line: line, GUIDIsPermaLink: true}
	rec := newRecord(itemSchema)
	err := r.children(func(n ns, start xml.StartElement) error {
		if i, ok := rec.lookup(n, start.Name.Local); ok {
			if i == iGUID {
				if v, ok := attr(start, "isPermaLink"); ok {
					it.GUIDIsPermaLink = !strings.EqualFold(strings.TrimSpace(v), "false")
				}
			}
			if err := r.field(rec, i); err != nil {
				return err
			}
			// Name the item in fatal errors as soon as it can be.
			switch i {
			case iPostID:
				r.cur.ID, _ = strconv.ParseInt(rec.vals[i], 10, 64)
			case iTitle:
				r.cur.Name = rec.vals[i]
			}
			return nil
		}
		switch {
		case n == nsNone && start.Name.Local == "category":
			return r.readCategory(it, rec, start)
		case n == nsWP && start.Name.Local == "postmeta":
			m, err := r.readMeta(&rec.problems, "wp:postmeta")
			it.Meta = append(it.Meta, m)
			return err
		case n == nsWP && start.Name.Local == "comment":
			c, err := r.readComment(rec)
			if err == nil {
				it.Comments = append(it.Comments, c)
			}
			return err
		}
		return r.tok.skip()
	})
	if err != nil {
		return nil, err
	}

	v := rec.vals
	it.Title, it.Link, it.PubDate, it.Creator = v[iTitle], v[iLink], v[iPubDate], v[iCreator]
	it.GUID, it.Description, it.Content, it.Excerpt = v[iGUID], v[iDescription], v[iContent], v[iExcerpt]
	if it.GUID == "" {
		it.GUIDIsPermaLink = false
	}
	it.PostID = rec.id(iPostID, true)
	it.Date, it.DateGMT = rec.date(iDate), rec.date(iDateGMT)
	it.Modified, it.ModifiedGMT = rec.date(iModified), rec.date(iModifiedGMT)
	it.CommentStatus, it.PingStatus = v[iCommentStatus], v[iPingStatus]
	it.Name, it.Status, it.Type, it.Password = v[iName], v[iStatus], v[iType], v[iPassword]
	it.Parent = rec.id(iParent, false)
	it.MenuOrder, _ = rec.number(iMenuOrder)
	it.Sticky = rec.flag(iSticky)
	it.AttachmentURL = v[iAttachmentURL]
	if rec.failed() {
		return nil, &ItemError{ItemRef: r.cur, Code: rec.code, Reason: rec.describe()}
	}
	return it, nil
}

// readCategory reads one of an item's <category> elements.
func (r *Reader) readCategory(it *Item, owner *record, start xml.StartElement) error {
	line, _ := r.dec.InputPos()
	t, err := r.tok.text(limits.field)
	if err != nil {
		return err
	}
	rec := newRecord(categorySchema)
	rec.set(0, line, t)
	if rec.failed() {
		owner.fail(rec.code, "%s", rec.describe())
	}
	domain, _ := attr(start, "domain")
	nicename, _ := attr(start, "nicename")
	it.Categories = append(it.Categories, Category{
		Domain:   strings.TrimSpace(domain),
		Nicename: strings.TrimSpace(nicename),
		Name:     rec.vals[0],
	})
	return nil
}

var categorySchema = newSchema(field{nsNone, "category", false})

// readComment reads a wp:comment of an item; its problems become the
// item's.
func (r *Reader) readComment(item *record) (Comment, error) {
	line, _ := r.dec.InputPos()
	rec := newRecord(commentSchema)
	c := Comment{Line: line}
	err := r.readRecord(rec, func(n ns, start xml.StartElement) error {
		if n == nsWP && start.Name.Local == "commentmeta" {
			m, err := r.readMeta(&rec.problems, "wp:commentmeta")
			c.Meta = append(c.Meta, m)
			return err
		}
		return r.tok.skip()
	})
	if err != nil {
		return c, err
	}
	v := rec.vals
	c.ID = rec.id(cID, false)
	c.Author, c.AuthorEmail, c.AuthorURL, c.AuthorIP = v[cAuthor], v[cAuthorEmail], v[cAuthorURL], v[cAuthorIP]
	c.Date, c.DateGMT = rec.date(cDate), rec.date(cDateGMT)
	c.Content, c.Approved, c.Type = v[cContent], v[cApproved], v[cType]
	c.Parent = rec.id(cParent, false)
	c.UserID = rec.id(cUserID, false)
	if rec.failed() {
		item.fail(rec.code, "comment %s(line %d): %s", commentID(v[cID]), line, rec.describe())
	}
	return c, nil
}

func commentID(v string) string {
	if v == "" {
		return ""
	}
	return fmt.Sprintf("%s ", clip(v, 20))
}
