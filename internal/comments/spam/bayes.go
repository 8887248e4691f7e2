package spam

import (
	"cmp"
	"math"
	"slices"
)

// Count is what the store keeps for one token: how many trained spam and ham
// (not spam) comments contained it. A token counts once per comment. In a
// Change, the fields are what to add and may be negative.
type Count struct {
	Spam, Ham int
}

// Totals is how many comments the classifier was trained on, by class. In a
// Change, the fields are what to add and may be negative.
type Totals struct {
	Spam, Ham int
}

// Unknown is the probability Probability returns when it cannot tell: too
// little training, or no token it has seen. Check ignores it.
const Unknown = 0.5

// MinTrained is how many comments of each class the classifier needs before
// Probability says anything but Unknown. Below it, a handful of decisions
// would make every word of the first spam look damning.
const MinTrained = 10

// The parameters of Robinson's method, with the values SpamBayes settled on
// after testing them on large corpora.
const (
	// unknownWordStrength (Robinson's s) is how many comments' worth of
	// evidence the prior is worth against a token's own counts.
	unknownWordStrength = 0.45
	// unknownWordProb (Robinson's x) is the prior probability of a token.
	unknownWordProb = 0.5
	// minProbStrength drops tokens whose probability is within this of 0.5:
	// they only add noise to the combination.
	minProbStrength = 0.1
	// maxDiscriminators is how many of the strongest tokens are combined.
	maxDiscriminators = 150
)

// Probability returns the probability, in [0, 1], that a comment with the
// given tokens (from Tokens) is spam, from the classifier's totals and the
// counts of those tokens; tokens missing from counts were never seen. It
// returns Unknown until both classes have MinTrained comments.
//
// The method is Gary Robinson's, as SpamBayes implements it: each token's
// spam probability is the ratio of its frequencies in spam and in ham,
// shrunk towards 0.5 when it was seen in few comments (so a word seen once
// is not proof); the tokens farther than 0.1 from 0.5, at most 150 of the
// strongest, are combined with Fisher's chi-square test, once for the
// hypothesis "spam" and once for "ham". The result is near 1 when the
// evidence says spam and not ham, near 0 for the reverse, and near 0.5 when
// it says both or neither, which is why Check holds rather than condemns in
// the middle. Unlike a plain product of probabilities, it does not swing to
// 0 or 1 on one strong word.
func Probability(totals Totals, counts map[string]Count, tokens []string) float64 {
	if totals.Spam < MinTrained || totals.Ham < MinTrained {
		return Unknown
	}
	type clue struct {
		token string
		prob  float64
	}
	clues := make([]clue, 0, len(tokens))
	seen := make(map[string]struct{}, len(tokens))
	for _, t := range tokens {
		if _, dup := seen[t]; dup {
			continue
		}
		seen[t] = struct{}{}
		c, ok := counts[t]
		if !ok {
			continue
		}
		p, ok := tokenProb(totals, c)
		if !ok || math.Abs(p-0.5) < minProbStrength {
			continue
		}
		clues = append(clues, clue{t, p})
	}
	if len(clues) == 0 {
		return Unknown
	}
	if len(clues) > maxDiscriminators {
		slices.SortFunc(clues, func(a, b clue) int {
			if c := cmp.Compare(math.Abs(b.prob-0.5), math.Abs(a.prob-0.5)); c != 0 {
				return c
			}
			return cmp.Compare(a.token, b.token)
		})
		clues = clues[:maxDiscriminators]
	}
	var lnSpam, lnHam float64
	for _, c := range clues {
		lnHam += math.Log(c.prob)
		lnSpam += math.Log1p(-c.prob)
	}
	n := 2 * len(clues)
	s := 1 - chi2Q(-2*lnSpam, n)
	h := 1 - chi2Q(-2*lnHam, n)
	return clamp01((s - h + 1) / 2)
}

// tokenProb returns Robinson's f(w) for a token with counts c, and false when
// the token was never seen (or its counts are not positive).
func tokenProb(totals Totals, c Count) (float64, bool) {
	spam, ham := max(c.Spam, 0), max(c.Ham, 0)
	if spam+ham == 0 {
		return 0, false
	}
	// The counts and totals are updated separately by the store; a count
	// above its total would give a ratio above 1.
	spamRatio := min(float64(spam)/float64(totals.Spam), 1)
	hamRatio := min(float64(ham)/float64(totals.Ham), 1)
	p := spamRatio / (spamRatio + hamRatio)
	n := float64(spam + ham)
	return (unknownWordStrength*unknownWordProb + n*p) / (unknownWordStrength + n), true
}

// chi2Q returns the probability that a chi-square variable with v degrees of
// freedom (v even) is at least x2: the series for even v, as in SpamBayes.
func chi2Q(x2 float64, v int) float64 {
	m := x2 / 2
	term := math.Exp(-m)
	sum := term
	for i := 1; i < v/2; i++ {
		term *= m / float64(i)
		sum += term
	}
	return min(sum, 1)
}

// clamp01 returns x within [0, 1], guarding against rounding.
func clamp01(x float64) float64 {
	return min(max(x, 0), 1)
}

// Label is how a comment was used to train the classifier. The store keeps
// it with the comment so that a reversed decision moves the counts instead of
// adding them twice.
type Label int8

// The labels. The zero value is LabelNone, a comment not trained on.
const (
	// LabelNone means the comment is not in the training.
	LabelNone Label = iota
	// LabelHam means the comment was trained as legitimate.
	LabelHam
	// LabelSpam means the comment was trained as spam.
	LabelSpam
)

// String returns the label's stable name for storage and logs.
func (l Label) String() string {
	switch l {
	case LabelHam:
		return "ham"
	case LabelSpam:
		return "spam"
	default:
		return "none"
	}
}

// TokenCount is the change to one token's Count.
type TokenCount struct {
	Token string
	Count Count
}

// Change is what the store adds to the classifier when a comment's label
// changes: to the totals, and to the count of each token (creating it at
// zero when missing; a token whose counts fall to zero can be deleted).
type Change struct {
	Totals Totals
	// Tokens are sorted by token, so that concurrent transactions update
	// rows in the same order and cannot deadlock each other.
	Tokens []TokenCount
}

// IsZero reports whether c changes nothing.
func (c Change) IsZero() bool {
	return c.Totals == (Totals{}) && len(c.Tokens) == 0
}

// Retrain returns the Change for a comment whose label goes from one value
// to another: LabelNone to LabelSpam when a moderator marks it spam,
// LabelSpam to LabelHam when another rescues it (the spam counts are taken
// back and ham counts added), anything to LabelNone to forget it. The same
// label twice changes nothing, so a repeated click does not count twice.
// tokens must be those the comment was trained with: the store keeps them
// with the label, since the text may be edited and Tokens may change.
func Retrain(tokens []string, from, to Label) Change {
	if from == to {
		return Change{}
	}
	var d Count
	switch from {
	case LabelSpam:
		d.Spam--
	case LabelHam:
		d.Ham--
	}
	switch to {
	case LabelSpam:
		d.Spam++
	case LabelHam:
		d.Ham++
	}
	if d == (Count{}) {
		return Change{}
	}
	uniq := slices.Clone(tokens)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	c := Change{Totals: Totals(d), Tokens: make([]TokenCount, 0, len(uniq))}
	for _, t := range uniq {
		if t != "" {
			c.Tokens = append(c.Tokens, TokenCount{Token: t, Count: d})
		}
	}
	return c
}
