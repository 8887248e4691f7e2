package linkedin

import "testing"

func TestEscapeCommentary(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bonjour", "Bonjour"},
		{"(a) [b] {c} <d> | e * f _g_ ~h @i \\j", `\(a\) \[b\] \{c\} \<d\> \| e \* f \_g\_ \~h \@i \\j`},
		{"#MoyenOrient et #Élysée", "#MoyenOrient et #Élysée"},
		{"C# #2026 # seul", `C\# \#2026 \# seul`},
		{"Lire https://journal.example/a_b#c (suite)", `Lire https://journal.example/a\_b\#c \(suite\)`},
	}
	for _, tt := range tests {
		if got := escapeCommentary(tt.in); got != tt.want {
			t.Errorf("escapeCommentary(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
