package search

import (
	"strings"

	"github.com/kljensen/snowball/english"
)

// frenchStopWords lists the French words too frequent to help a search:
// articles, pronouns, prepositions, conjunctions and the forms of être and
// avoir. It starts from the Snowball French stop list and adds the frequent
// words it lacks (les, ils, elles, leurs, cette, cet, dont, où, quoi, plus…).
// Words that are as often nouns in news copy are left out on purpose: or
// (gold), car (coach), vers (verse), and the Snowball entries avions (planes)
// and sommes (sums); son (sound) stays, the possessive being far more
// frequent.
//
//nolint:gosec // a word list, not a credential
const frenchStopWords = `
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais
me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses
son sur ta te tes toi ton tu un une vos votre vous c d j l à m n s t y

les ils elles leurs cette cet ceci cela ça celui celle ceux celles dont où
quoi quel quelle quels quelles lequel laquelle lesquels lesquelles duquel
auquel auxquels auxquelles soi plus ni si comme donc sans sous chez ainsi
aussi alors

être avoir a été étée étées étés étant étante étants étantes suis es est
êtes sont serai seras sera serons serez seront serais serait serions
seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent
sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant
ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura
aurons aurez auront aurais aurait aurions auriez auraient avais avait aviez
avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse
eusses eût eussions eussiez eussent
`

// frenchStops is frenchStopWords folded to ASCII. It is built once and never
// modified.
var frenchStops = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(frenchStopWords) {
		m[fold(w)] = true
	}
	return m
}()

// frenchStopLookalikes are the content words that fold to a stop word: « né »
// (born, in every biography) would otherwise be dropped as « ne », « dé » as
// « de », « sûr » as « sur ».
var frenchStopLookalikes = map[string]bool{"né": true, "dé": true, "dû": true, "sûr": true, "mème": true}

// isFrenchStopWord reports whether a word, given lowercase and folded, is a
// French stop word. The folded form is what is looked up, so that a query
// typed without accents (« ete », « etait ») loses the same words as the
// accented text it is matched against.
func isFrenchStopWord(lower, folded string) bool {
	return frenchStops[folded] && !frenchStopLookalikes[lower]
}

// isEnglishStopWord reports whether a word, given lowercase and folded, is in
// the Snowball English stop list.
func isEnglishStopWord(_, folded string) bool { return english.IsStopWord(folded) }

// isFrenchElision reports whether w, lowercased, is one of the French elided
// words written before an apostrophe (l'État, qu'il, jusqu'à), which carry no
// meaning of their own.
func isFrenchElision(w string) bool {
	switch w {
	case "l", "d", "j", "m", "n", "s", "t", "c", "qu",
		"jusqu", "lorsqu", "puisqu", "quoiqu":
		return true
	}
	return false
}
