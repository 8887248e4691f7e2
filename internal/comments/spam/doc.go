// Package spam decides whether a reader's comment is published, held for a
// moderator or sent to the spam folder, without any third-party service.
//
// The defence is layered, cheapest first, and every layer is pure: the
// comments service gathers the facts (what the reader posted, the form stamp,
// counts from the store, the Bayes probability, Akismet's answer when a key is
// configured) into an Input, and Check applies the newsroom's Rules to them.
// The package does no I/O, so each rule is tested with plain values.
//
//   - Refusals the reader sees and can fix come first and are not spam:
//     CheckLength (empty, too short, too long) and CheckRate (too many
//     comments from one address or network block in RateWindow).
//   - The form carries a honeypot field and a Stamp: an HMAC-signed issue time
//     and article id, checked by Stamper.Check. A bot that posts without
//     loading the form, or fills every field, is caught here.
//   - Check then scores the content: links, words and addresses from the
//     newsroom's hold and spam lists, text repeated across comments (see
//     Fingerprint), a flood from one address, the naive Bayes probability
//     (see Tokens, Probability and Retrain) and the optional Akismet verdict.
//
// A Verdict carries a Decision, a Score for sorting the moderation queue and
// the Reasons, with stable codes, that the comment stores so that moderators
// see why it was held. Spam is never deleted here: Spam means the spam
// folder, where a moderator can still rescue a comment, and each rescue or
// condemnation trains the classifier through Retrain.
//
// What the comments store provides, per comment: the client IP with its
// RateKeys (address and network columns, counted over RateWindow), the
// Fingerprint of the text (counted over RepeatWindow), the Verdict's score
// and reasons, and, once a moderator decided, the Label the comment was
// trained as with the Tokens it was trained on; and, for the classifier, the
// two Totals and one Count per token.
package spam
