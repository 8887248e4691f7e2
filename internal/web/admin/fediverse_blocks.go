package admin

import (
	"net/http"
	"strings"

	"github.com/kiosque/kiosque/internal/federation"
)

// blockForm is a block as typed: what it names (an account or an
// instance) and the address, handle or host.
type blockForm struct {
	Kind  federation.BlockKind
	Value string
	// Back is the page the form was posted from (the followers' list for
	// its shortcuts), where a saved block returns.
	Back string
}

// parseBlockForm reads the posted form.
func parseBlockForm(w http.ResponseWriter, r *http.Request) (blockForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return blockForm{}, errBadForm(err)
	}
	return blockForm{Kind: federation.BlockKind(r.PostFormValue("kind")), Value: strings.TrimSpace(r.PostFormValue("value")),
		Back: r.PostFormValue("back")}, nil
}

// fediverseBlocksPage lists the blocks, with the form that adds one.
type fediverseBlocksPage struct {
	basePage
	Blocks []federation.Block
	Kinds  []federation.BlockKind
	Form   blockForm
	Errors formErrors
}

// listFediverseBlocks shows the blocks, newest first.
func (h *Handler) listFediverseBlocks(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderFediverseBlocks(w, r, s, http.StatusOK, blockForm{Kind: federation.BlockDomain}, nil)
}

func (h *Handler) renderFediverseBlocks(w http.ResponseWriter, r *http.Request, s *session, status int, f blockForm, errs formErrors) {
	blocks, err := h.Federation.Blocks(r.Context(), s.actor)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	h.render(w, r, status, "fediverse_blocks", &fediverseBlocksPage{
		basePage: h.fediverseBase(r, s, h.printer().T("admin.fediverse.blocks.title")), Blocks: blocks,
		Kinds: []federation.BlockKind{federation.BlockDomain, federation.BlockActor}, Form: f, Errors: errs})
}

// addFediverseBlock blocks an account or an instance, from the blocks'
// form or a follower's shortcut; a refused one comes back on the blocks'
// page with its message next to the field.
func (h *Handler) addFediverseBlock(w http.ResponseWriter, r *http.Request, s *session) {
	f, err := parseBlockForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if _, err := h.Federation.Block(r.Context(), s.actor, f.Kind, f.Value); err != nil {
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.renderFediverseBlocks(w, r, s, formStatus(err), f, errs)
		return
	}
	back := safeNext(f.Back)
	if !strings.HasPrefix(back, "/admin/fediverse/") {
		back = "/admin/fediverse/blocks"
	}
	redirect(w, r, back, "blocked")
}

// deleteFediverseBlock lifts a block: the account or instance may follow
// again, and receives the articles once it does.
func (h *Handler) deleteFediverseBlock(w http.ResponseWriter, r *http.Request, s *session) {
	f, err := parseBlockForm(w, r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if err := h.Federation.Unblock(r.Context(), s.actor, f.Kind, f.Value); err != nil {
		h.fail(w, r, s, err)
		return
	}
	redirect(w, r, "/admin/fediverse/blocks", "unblocked")
}
