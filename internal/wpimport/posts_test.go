package wpimport

import "testing"

func TestUntitled(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"OK", "<p>Le marché <em>rouvre</em> ce matin</p>", "Le marché rouvre ce matin"},
		{"OKLong", "<p>un deux trois quatre cinq six sept huit neuf</p>", "un deux trois quatre cinq six sept huit…"},
		{"OKEntities", "<p>Tom &amp; Jerry</p>", "Tom & Jerry"},
		{"OKEmpty", `<figure><img src="/a.jpg" alt="x"></figure>`, "Sans titre 42"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := untitled(tc.body, 42); got != tc.want {
				t.Errorf("untitled(%q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}
