package access

import (
	"testing"

	"github.com/kiosque/kiosque/internal/users"
)

func TestRules(t *testing.T) {
	const me, other = 7, 9
	own := ArticleState{AuthorIDs: []int64{me}}
	ownPublished := ArticleState{AuthorIDs: []int64{me}, Published: true}
	others := ArticleState{AuthorIDs: []int64{other}}
	tests := []struct {
		role                          users.Role
		state                         ArticleState
		edit, publish, settings, taxo bool
	}{
		{users.RoleAdmin, others, true, true, true, true},
		{users.RoleEditor, others, true, true, false, true},
		{users.RoleEditor, own, true, true, false, true},
		{users.RoleAuthor, own, true, true, false, false},
		{users.RoleAuthor, ownPublished, true, true, false, false},
		{users.RoleAuthor, others, false, false, false, false},
		{users.RoleContributor, own, true, false, false, false},
		{users.RoleContributor, ownPublished, false, false, false, false},
		{users.RoleContributor, others, false, false, false, false},
	}
	for _, tt := range tests {
		a := Actor{UserID: me, Role: tt.role}
		name := string(tt.role)
		if got := a.CanEdit(tt.state); got != tt.edit {
			t.Errorf("%s CanEdit(%+v) = %v, want %v", name, tt.state, got, tt.edit)
		}
		if got := a.CanPublish(tt.state); got != tt.publish {
			t.Errorf("%s CanPublish(%+v) = %v, want %v", name, tt.state, got, tt.publish)
		}
		if got := a.Can(ManageSettings); got != tt.settings {
			t.Errorf("%s Can(ManageSettings) = %v", name, got)
		}
		if got := a.Can(ManageTaxonomies); got != tt.taxo {
			t.Errorf("%s Can(ManageTaxonomies) = %v", name, got)
		}
	}
	if (Actor{Role: "nobody"}).Can(UploadMedia) {
		t.Error("an unknown role has a permission")
	}
}
